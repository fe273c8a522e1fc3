using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Accounts;

/// <summary>Creating accounts, checking passwords and issuing personal access tokens.</summary>
public sealed partial class AccountService(SettlementMapDbContext db, IPasswordHasher<UserAccount> hasher, TimeProvider clock)
{
    public const string TokenPrefix = "smpat_";

    // A fixed hash to verify against when the user name is unknown, so a miss costs as long as a hit.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<UserAccount>().HashPassword(null!, "not a password of anyone"));

    public static string NormaliseUserName(string userName) => (userName ?? "").Trim().ToLowerInvariant();

    /// <summary>Whether a normalised name is one an account may have: 2 to 64 of a–z, 0–9, '.', '-', '_'.</summary>
    public static bool IsPossibleUserName(string name) => UserNamePattern().IsMatch(name);

    public const string UserNameRule = "A user name is 2 to 64 characters: letters a–z, digits, '.', '-' or '_'.";

    [GeneratedRegex("^[a-z0-9._-]{2,64}$")]
    private static partial Regex UserNamePattern();

    /// <summary>What is wrong with a new password for this account (see <see cref="PasswordPolicy"/>); empty when it is good.</summary>
    public static IReadOnlyList<FieldProblem> PasswordProblems(string? password, string? userName) => PasswordPolicy.Problems(password, userName);

    /// <summary>The active account with this name and password, or null: one answer for every kind of failure.</summary>
    public async Task<UserAccount?> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var name = NormaliseUserName(userName);
        // A name no account can have is not looked up (nor sent to PostgreSQL, which refuses some characters, e.g. U+0000).
        var user = IsPossibleUserName(name) ? await db.Users.SingleOrDefaultAsync(u => u.UserName == name, cancellationToken) : null;
        if (user is null || !user.IsActive)
        {
            hasher.VerifyHashedPassword(null!, DummyHash.Value, password ?? "");
            return null;
        }
        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "");
        if (result == PasswordVerificationResult.Failed)
        {
            return null;
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password!);
            await db.SaveChangesAsync(cancellationToken);
        }
        return user;
    }

    public string HashPassword(UserAccount user, string password) => hasher.HashPassword(user, password);

    /// <summary>Creates a token, stores its hash (audited, by <paramref name="changedBy"/> or else the account itself), and returns the text once: it cannot be shown again.</summary>
    public async Task<(AccessToken Token, string Text)> IssueTokenAsync(UserAccount user, string name, TimeSpan? lifetime, CancellationToken cancellationToken, string? changedBy = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var text = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow();
        var token = new AccessToken
        {
            UserId = user.Id,
            Name = name,
            TokenHash = HashToken(text),
            CreatedAt = now,
            ExpiresAt = lifetime is { } l ? now + l : null,
        };
        db.AccessTokens.Add(token);
        AccountAudit.Record(db, changedBy ?? user.UserName, user.UserName, AccountAction.TokenCreate,
            new Dictionary<string, (object?, object?)> { ["token"] = (null, name), ["expires_at"] = (null, token.ExpiresAt) });
        await db.SaveChangesAsync(cancellationToken);
        return (token, text);
    }

    public static string HashToken(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>The claims every scheme gives a signed-in account.</summary>
    public static ClaimsIdentity Identity(UserAccount user, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Identity(user.Id, user.UserName, user.Role, authenticationType);
    }

    public static ClaimsIdentity Identity(long id, string userName, UserRole role, string authenticationType) =>
        new(
            [
                new Claim(ClaimTypes.NameIdentifier, id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, userName),
                new Claim(ClaimTypes.Role, EnumText.ToText(role)),
            ],
            authenticationType, ClaimTypes.Name, ClaimTypes.Role);
}

/// <summary>
/// Password hashing a few at a time. ASP.NET Core Identity's PasswordHasher (PBKDF2, HMAC-SHA512,
/// 100,000 iterations) keeps a core busy for tens of milliseconds a check, synchronously on a
/// thread-pool thread: 64 sign-ins at once occupied every thread, the continuations of database
/// reads waited behind them with their connections held, and requests failed with pool timeouts
/// (500). Here at most one check a core runs; the others wait without a thread or a connection,
/// oldest first, and beyond the queue the server says it is busy (503, Retry-After) instead.
/// </summary>
public sealed class PasswordHashGate : IDisposable
{
    /// <summary>Configuration key of the number of checks run at once (default: one a core).</summary>
    public const string ConcurrencySetting = "SignIn:HashConcurrency";

    /// <summary>Configuration key of the number that may wait (default 128: a few seconds of checks on two cores).</summary>
    public const string QueueSetting = "SignIn:HashQueue";

    public const int DefaultQueue = 128;

    private readonly ConcurrencyLimiter _limiter;

    public PasswordHashGate(IConfiguration configuration)
    {
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, configuration.GetValue(ConcurrencySetting, Environment.ProcessorCount)),
            QueueLimit = Math.Max(0, configuration.GetValue(QueueSetting, DefaultQueue)),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>A lease to hash under (dispose it after); not acquired when the queue is full.</summary>
    public ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}

/// <summary>
/// Who is editing, and where they may: loaded from the database on each request so a changed scope applies at once.
/// PasswordResetAt: when an administrator last set the account's password (sessions from before it end).
/// </summary>
public sealed record Editor(long UserId, string UserName, bool IsAdministrator, IReadOnlySet<int> MunicipalityIds, DateTimeOffset? PasswordResetAt = null)
{
    public bool MayEdit(int municipalityId) => IsAdministrator || MunicipalityIds.Contains(municipalityId);

    public static async Task<Editor?> LoadAsync(ClaimsPrincipal principal, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(db);
        if (!long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            return null;
        }
        return await LoadWhereAsync(db, u => u.Id == id, cancellationToken);
    }

    /// <summary>The active account of this name (the command line's --as), or null.</summary>
    public static Task<Editor?> LoadByNameAsync(string userName, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        var name = AccountService.NormaliseUserName(userName);
        return LoadWhereAsync(db, u => u.UserName == name, cancellationToken);
    }

    private static async Task<Editor?> LoadWhereAsync(
        SettlementMapDbContext db, System.Linq.Expressions.Expression<Func<UserAccount, bool>> which, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var user = await db.Users.AsNoTracking()
            .Where(which)
            .Where(u => u.IsActive)
            .Select(u => new { u.Id, u.UserName, u.Role, Municipalities = u.Municipalities.Select(m => m.Id).ToList(), u.PasswordResetAt })
            .SingleOrDefaultAsync(cancellationToken);
        return user is null ? null : new Editor(user.Id, user.UserName, user.Role == UserRole.Administrator, user.Municipalities.ToHashSet(), user.PasswordResetAt);
    }
}
