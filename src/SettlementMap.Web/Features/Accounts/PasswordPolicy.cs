using System.Security.Cryptography;

namespace SettlementMap.Web.Features.Accounts;

/// <summary>
/// One input's problem: the field it names, a stable code the page translates
/// (i18n key <c>accounts.error.&lt;code&gt;</c>), and an English message for API clients and the command line.
/// </summary>
public sealed record FieldProblem(string Field, string Code, string Message);

/// <summary>
/// The rules a new password must meet, for the API, the page and the command line alike: at least
/// <see cref="MinLength"/> characters (NIST SP 800-63B's advice: length and a block list rather than
/// composition rules), at most <see cref="MaxLength"/> (a bound on hashing work), not containing the
/// user name, and not one of the common passwords in data/common-passwords.txt (case-insensitive).
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 256;
    public const string Field = "password";

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommon);

    /// <summary>How many passwords the shipped list holds.</summary>
    public static int CommonCount => Common.Value.Count;

    public static IReadOnlyList<FieldProblem> Problems(string? password, string? userName)
    {
        var problems = new List<FieldProblem>();
        var text = password ?? "";
        if (text.Length < MinLength)
        {
            problems.Add(new(Field, "password_too_short", $"The password needs at least {MinLength} characters."));
        }
        if (text.Length > MaxLength)
        {
            problems.Add(new(Field, "password_too_long", $"The password may have at most {MaxLength} characters."));
        }
        var name = AccountService.NormaliseUserName(userName ?? "");
        if (name.Length > 0 && text.Contains(name, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new(Field, "password_contains_user_name", "The password must not contain the user name."));
        }
        if (text.Length > 0 && Common.Value.Contains(text.ToLowerInvariant()))
        {
            problems.Add(new(Field, "password_common", "The password is one of the most common passwords; choose another."));
        }
        return problems;
    }

    /// <summary>
    /// A strong password to show once: 20 characters from 56 unambiguous letters and digits (about 116
    /// bits), grouped by hyphens so it can be read out; it meets the policy by construction.
    /// </summary>
    public static string Generate()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 20);
        return string.Join('-', Enumerable.Range(0, 4).Select(i => new string(chars, i * 5, 5)));
    }

    private static HashSet<string> LoadCommon()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("common-passwords.txt")
            ?? throw new InvalidOperationException("The embedded list common-passwords.txt is missing.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(line.ToLowerInvariant());
            }
        }
        return set;
    }
}
