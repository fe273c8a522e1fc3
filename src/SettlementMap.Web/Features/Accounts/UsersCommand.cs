using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Database;

namespace SettlementMap.Web.Features.Accounts;

/// <summary>
/// dotnet SettlementMap.Web.dll users …: accounts from the command line, on the same database the
/// app uses (its connection string, SETTLEMENTMAP_DB, or the local cluster).
/// </summary>
public static class UsersCommand
{
    public const string Usage = """
        users list
        users add NAME --role administrator|coordinator [--municipality CODE]... [--display-name TEXT]
              (the password is read from SETTLEMENTMAP_PASSWORD, or from the first line of standard input;
               it needs 12 or more characters, not the user name, not a common password)
        users password NAME                           sets a new password, read as for add
        users token NAME --label TEXT [--days N]     prints a personal access token once
        users deactivate NAME
        users reactivate NAME
        """;

    public static async Task<int> RunAsync(ProjectPaths paths, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = Path.Combine(paths.Root, "src", "SettlementMap.Web") });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await builder.AddSettlementMapDatabaseAsync(paths);
        builder.Services.AddSettlementMapAuthentication();
        await using var app = builder.Build();
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SettlementMapDbContext>();
            await DatabaseInitialisation.MigrateAsync(db, app.Logger);
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            return args[0] switch
            {
                "list" => await ListAsync(db),
                "add" => await AddAsync(db, accounts, args[1..]),
                "token" => await TokenAsync(db, accounts, args[1..]),
                "deactivate" => await SetActiveAsync(db, args[1..], active: false),
                "reactivate" => await SetActiveAsync(db, args[1..], active: true),
                "password" => await PasswordAsync(db, accounts, args[1..]),
                _ => Fail($"Unknown command '{args[0]}'.\n{Usage}"),
            };
        }
        finally
        {
            if (app.Services.GetService<LocalPostgisCluster>() is { } cluster)
            {
                await cluster.StopAsync();
            }
        }
    }

    private static async Task<int> ListAsync(SettlementMapDbContext db)
    {
        var users = await UsersApi.ListUsers(db, TimeProvider.System, CancellationToken.None);
        foreach (var u in users.Value!)
        {
            Console.WriteLine($"{u.UserName,-28} {u.Role,-14} {(u.IsActive ? "active" : "inactive"),-9} {string.Join(",", u.Municipalities)}");
        }
        return 0;
    }

    private static async Task<int> AddAsync(SettlementMapDbContext db, AccountService accounts, string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return Fail("Give the user name first.\n" + Usage);
        }
        var options = Options(args[1..], ["--role", "--municipality", "--display-name"]);
        if (options is null)
        {
            return Fail(Usage);
        }
        var (user, errors, _) = await UsersApi.CreateAsync(db, accounts,
            new NewUser(args[0], options.GetValueOrDefault("--display-name")?.LastOrDefault(), options.GetValueOrDefault("--role")?.LastOrDefault(),
                options.GetValueOrDefault("--municipality") ?? [], ReadPassword()), AccountAudit.CommandLine, CancellationToken.None);
        if (user is null)
        {
            return Fail(Problems(errors));
        }
        Console.WriteLine($"Created {EnumText.ToText(user.Role)} '{user.UserName}'.");
        return 0;
    }

    private static async Task<int> TokenAsync(SettlementMapDbContext db, AccountService accounts, string[] args)
    {
        var options = args.Length == 0 ? null : Options(args[1..], ["--label", "--days"]);
        if (options is null || options.GetValueOrDefault("--label") is not [.., var label])
        {
            return Fail(Usage);
        }
        var days = options.GetValueOrDefault("--days") is [.., var d] && int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 90;
        var name = AccountService.NormaliseUserName(args[0]);
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == name && u.IsActive);
        if (user is null)
        {
            return Fail($"No active account is named '{name}'.");
        }
        var (token, text) = await accounts.IssueTokenAsync(user, label, TimeSpan.FromDays(days), CancellationToken.None, AccountAudit.CommandLine);
        Console.WriteLine(text);
        Console.Error.WriteLine($"Token '{token.Name}' for {user.UserName}, valid until {token.ExpiresAt:yyyy-MM-dd}. It is not shown again.");
        return 0;
    }

    private static async Task<int> SetActiveAsync(SettlementMapDbContext db, string[] args, bool active)
    {
        if (args.Length != 1)
        {
            return Fail(Usage);
        }
        var name = AccountService.NormaliseUserName(args[0]);
        var result = await UsersApi.SetActiveAsync(db, name, active, AccountAudit.CommandLine, CancellationToken.None);
        if (result.Result is not Microsoft.AspNetCore.Http.HttpResults.NoContent)
        {
            return Fail($"No account is named '{name}'.");
        }
        Console.WriteLine($"{(active ? "Reactivated" : "Deactivated")} '{name}'.");
        return 0;
    }

    private static async Task<int> PasswordAsync(SettlementMapDbContext db, AccountService accounts, string[] args)
    {
        if (args.Length != 1)
        {
            return Fail(Usage);
        }
        var name = AccountService.NormaliseUserName(args[0]);
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == name);
        if (user is null)
        {
            return Fail($"No account is named '{name}'.");
        }
        var password = ReadPassword();
        var problems = AccountService.PasswordProblems(password, name);
        if (problems.Count > 0)
        {
            return Fail(Problems(problems));
        }
        user.PasswordHash = accounts.HashPassword(user, password!);
        user.PasswordResetAt = DateTimeOffset.UtcNow;
        AccountAudit.Record(db, AccountAudit.CommandLine, name, AccountAction.PasswordReset,
            new Dictionary<string, (object?, object?)> { ["password"] = (null, "given") });
        await db.SaveChangesAsync();
        Console.WriteLine($"New password set for '{name}'.");
        return 0;
    }

    private static string? ReadPassword()
    {
        var password = Environment.GetEnvironmentVariable("SETTLEMENTMAP_PASSWORD");
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.Write("Password: ");
            password = Console.ReadLine();
        }
        return password;
    }

    private static string Problems(IEnumerable<FieldProblem> problems) => string.Join("\n", problems.Select(p => $"{p.Field}: {p.Message}"));

    private static Dictionary<string, List<string>>? Options(string[] args, string[] known)
    {
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!known.Contains(args[i]) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.");
                return null;
            }
            if (!options.TryGetValue(args[i], out var values))
            {
                options[args[i]] = values = [];
            }
            values.Add(args[i + 1]);
        }
        return options;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
