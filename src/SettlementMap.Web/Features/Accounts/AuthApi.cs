using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Accounts;

/// <summary>Who is signed in; TwoFactor: whether the account signs in with a code from an authenticator app as well.</summary>
public sealed record CurrentUser(bool SignedIn, string? UserName, string? DisplayName, string? Role, IReadOnlyList<string> Municipalities, string CsrfToken, bool TwoFactor = false);

/// <summary>Code: the authenticator app's code, for an account with two-factor sign-in (the answer without it says code_required).</summary>
public sealed record SignInRequest(string? UserName, string? Password, string? Code = null);

/// <summary>A code from the authenticator app: to confirm a new secret, or to switch two-factor sign-in off.</summary>
public sealed record TwoFactorCode(string? Code);

public sealed record TokenRequest(string? Name, int? Days);

public sealed record IssuedToken(string Token, string Name, DateTimeOffset? ExpiresAt);

public static class AuthApi
{
    private const string WrongCredentials = "The user name or password is wrong.";
    private const string CodeNeeded = "Enter the code from your authenticator app.";
    private const string WrongCode = "The code is wrong or was used already.";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts");
        auth.MapGet("/me", GetCurrentUser).WithName(nameof(GetCurrentUser))
            .WithSummary("Who is signed in, where they may edit, and the antiforgery token for the page's requests");
        auth.MapPost("/sign-in", SignIn).WithName(nameof(SignIn))
            .WithSummary("Cookie sign-in for the web page (send the X-CSRF-TOKEN from /api/auth/me); failures are rate-limited");
        auth.MapPost("/sign-out", (Func<HttpContext, Task<NoContent>>)SignOut).WithName(nameof(SignOut)).WithSummary("Ends the cookie session")
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies);
        auth.MapPost("/tokens", CreateToken).WithName(nameof(CreateToken))
            .WithSummary("A personal access token for API clients (Authorization: Bearer …); shown once")
            .RequireAuthorization(Authentication.EditorPolicy)
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies);
        auth.MapGet("/tokens", ListOwnTokens).WithName(nameof(ListOwnTokens)).WithSummary("Your own personal access tokens (never their text)")
            .RequireAuthorization(Authentication.EditorPolicy);
        auth.MapDelete("/tokens/{tokenId:long}", RevokeOwnToken).WithName(nameof(RevokeOwnToken)).WithSummary("Revokes one of your own tokens")
            .RequireAuthorization(Authentication.EditorPolicy)
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies);
        var twoFactor = auth.MapGroup("/two-factor").RequireAuthorization(Authentication.AdministratorPolicy)
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies);
        twoFactor.MapPost("/", StartTwoFactor).WithName(nameof(StartTwoFactor))
            .WithSummary("A new TOTP secret for your authenticator app (administrators); in force once confirmed with a code");
        twoFactor.MapPost("/confirm", ConfirmTwoFactor).WithName(nameof(ConfirmTwoFactor)).WithSummary("Switches two-factor sign-in on with a first code");
        twoFactor.MapPost("/disable", DisableTwoFactor).WithName(nameof(DisableTwoFactor)).WithSummary("Switches two-factor sign-in off with a code");
        return app;
    }

    public static async Task<Ok<CurrentUser>> GetCurrentUser(HttpContext context, SettlementMapDbContext db, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var csrf = antiforgery.GetAndStoreTokens(context).RequestToken!;
        context.Response.Headers.CacheControl = "no-store";
        if (context.User.Identity?.IsAuthenticated != true || !long.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            return TypedResults.Ok(new CurrentUser(false, null, null, null, [], csrf));
        }
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new { u.UserName, u.DisplayName, u.Role, Municipalities = u.Municipalities.OrderBy(m => m.Code).Select(m => m.Code).ToList(), TwoFactor = u.TotpEnabledAt != null })
            .SingleAsync(cancellationToken);
        return TypedResults.Ok(new CurrentUser(true, user.UserName, user.DisplayName, EnumText.ToText(user.Role), user.Municipalities, csrf, user.TwoFactor));
    }

    /// <summary>
    /// Password, then (for an account with two-factor sign-in) the code. An attempt counts as a failed
    /// sign-in until it succeeds in full: a right password without a code is answered "code required"
    /// but stays counted, and so does a wrong code, so neither guessing the password nor guessing the
    /// code gets any more tries from the throttle than guessing a password alone.
    /// </summary>
    public static async Task<Results<Ok<CurrentUser>, ProblemHttpResult, ValidationProblem>> SignIn(HttpContext context, SettlementMapDbContext db,
        AccountService accounts, TwoFactor twoFactor, TimeProvider clock, SignInThrottle throttle, PasswordHashGate hashing, IAntiforgery antiforgery,
        CancellationToken cancellationToken)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token.",
                detail: $"Get a token from /api/auth/me and send it in the {Authentication.AntiforgeryHeader} header.");
        }
        var (request, problem) = await JsonBody.BindAsync<SignInRequest>(context.Request, 4096, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(request?.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [string.IsNullOrWhiteSpace(request?.UserName) ? "user_name" : "password"] = ["Give a user name and a password."],
            }, title: "The sign-in request is incomplete.");
        }
        var name = AccountService.NormaliseUserName(request.UserName);
        var keys = SignInThrottle.Keys(name, context.Connection.RemoteIpAddress);
        // Counted before the hash is checked (and taken back after a right one), so concurrent guesses queue in the count.
        var wait = await throttle.AttemptAsync(keys, cancellationToken);
        if (wait > TimeSpan.Zero)
        {
            return RetryLater(context, StatusCodes.Status429TooManyRequests, wait, "Too many failed sign-ins.");
        }
        UserAccount? user;
        // Taken before the account is read, so requests waiting for the hasher hold no database connection.
        using (var lease = await hashing.EnterAsync(cancellationToken))
        {
            if (!lease.IsAcquired)
            {
                await throttle.WithdrawAsync(keys);
                return RetryLater(context, StatusCodes.Status503ServiceUnavailable, TimeSpan.FromSeconds(1), "Too many sign-ins at once.");
            }
            user = await accounts.VerifyAsync(name, request.Password, cancellationToken);
        }
        if (user is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: WrongCredentials);
        }
        if (user.TotpEnabledAt is not null)
        {
            if (string.IsNullOrEmpty(request.Code))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: CodeNeeded,
                    extensions: new Dictionary<string, object?> { ["code_required"] = true });
            }
            if (!await twoFactor.VerifyAsync(db, user, request.Code, cancellationToken))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: WrongCode,
                    extensions: new Dictionary<string, object?> { ["code_required"] = true });
            }
        }
        await throttle.SucceededAsync(keys);
        user.LastSignInAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var principal = new ClaimsPrincipal(AccountService.Identity(user, Authentication.CookieScheme));
        await context.SignInAsync(Authentication.CookieScheme, principal);
        // The antiforgery token is bound to the identity: the page needs a new one now.
        context.User = principal;
        return await GetCurrentUser(context, db, antiforgery, cancellationToken);
    }

    private static ProblemHttpResult RetryLater(HttpContext context, int status, TimeSpan wait, string title)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: status, title: title, detail: $"Try again in {seconds} second(s).");
    }

    public static async Task<NoContent> SignOut(HttpContext context)
    {
        await context.SignOutAsync(Authentication.CookieScheme);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<IssuedToken>, ProblemHttpResult, ValidationProblem>> CreateToken(
        HttpContext context, SettlementMapDbContext db, AccountService accounts, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.BindAsync<TokenRequest>(context.Request, 4096, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request?.Name) || request.Name.Length > 100)
        {
            errors["name"] = ["Name the token (1 to 100 characters), e.g. 'QGIS on my laptop'."];
        }
        if (request?.Days is < 1 or > 366)
        {
            errors["days"] = ["days must be from 1 to 366."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The token request is invalid.");
        }
        var id = SignedInId(context);
        var user = await db.Users.SingleAsync(u => u.Id == id, cancellationToken);
        var (token, text) = await accounts.IssueTokenAsync(user, request!.Name!.Trim(), TimeSpan.FromDays(request.Days ?? 90), cancellationToken);
        return TypedResults.Created((string?)null, new IssuedToken(text, token.Name, token.ExpiresAt));
    }

    public static async Task<Ok<List<TokenSummary>>> ListOwnTokens(HttpContext context, SettlementMapDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await UsersApi.TokensOf(db, SignedInId(context), cancellationToken));

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeOwnToken(
        long tokenId, HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var id = SignedInId(context);
        var user = await db.Users.SingleAsync(u => u.Id == id, cancellationToken);
        return await UsersApi.RevokeAsync(db, user, tokenId, user.UserName, clock, cancellationToken);
    }

    public static async Task<Results<Ok<TotpEnrolment>, ProblemHttpResult>> StartTwoFactor(
        HttpContext context, SettlementMapDbContext db, TwoFactor twoFactor, CancellationToken cancellationToken)
    {
        var id = SignedInId(context);
        var user = await db.Users.SingleAsync(u => u.Id == id, cancellationToken);
        if (user.TotpEnabledAt is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Two-factor sign-in is on already.",
                detail: "Switch it off with a code first to set up a new authenticator.");
        }
        var enrolment = twoFactor.Start(user);
        await db.SaveChangesAsync(cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(enrolment);
    }

    public static Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ConfirmTwoFactor(HttpContext context, SettlementMapDbContext db,
        TwoFactor twoFactor, TimeProvider clock, SignInThrottle throttle, CancellationToken cancellationToken) =>
        WithCodeAsync(context, db, twoFactor, throttle, enabled: false, (user, changes) =>
        {
            user.TotpEnabledAt = clock.GetUtcNow();
            changes["two_factor"] = (false, true);
            return AccountAction.TotpEnable;
        }, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> DisableTwoFactor(HttpContext context, SettlementMapDbContext db,
        TwoFactor twoFactor, SignInThrottle throttle, CancellationToken cancellationToken) =>
        WithCodeAsync(context, db, twoFactor, throttle, enabled: true, (user, changes) =>
        {
            TwoFactor.Disable(user);
            changes["two_factor"] = (true, false);
            return AccountAction.TotpDisable;
        }, cancellationToken);

    /// <summary>
    /// Checks a code of the signed-in account's secret (being set up, or in force) under the sign-in
    /// throttle, so a stolen session cannot try every code; then applies and audits the change.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> WithCodeAsync(HttpContext context, SettlementMapDbContext db,
        TwoFactor twoFactor, SignInThrottle throttle, bool enabled, Func<UserAccount, Dictionary<string, (object? Old, object? New)>, AccountAction> change,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.BindAsync<TwoFactorCode>(context.Request, 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var id = SignedInId(context);
        var user = await db.Users.SingleAsync(u => u.Id == id, cancellationToken);
        if (user.TotpSecret is null || (user.TotpEnabledAt is not null) != enabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: enabled ? "Two-factor sign-in is off." : "Start setting up two-factor sign-in first.");
        }
        var keys = SignInThrottle.Keys(user.UserName, context.Connection.RemoteIpAddress);
        var wait = await throttle.AttemptAsync(keys, cancellationToken);
        if (wait > TimeSpan.Zero)
        {
            return RetryLater(context, StatusCodes.Status429TooManyRequests, wait, "Too many wrong codes.");
        }
        if (!await twoFactor.VerifyAsync(db, user, request!.Code, cancellationToken))
        {
            return UsersApi.Invalid([new FieldProblem("code", "code_wrong", WrongCode)], "The code is not accepted.");
        }
        await throttle.SucceededAsync(keys);
        var changes = new Dictionary<string, (object? Old, object? New)>();
        AccountAudit.Record(db, user.UserName, user.UserName, change(user, changes), changes);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static long SignedInId(HttpContext context) =>
        long.Parse(context.User.FindFirstValue(ClaimTypes.NameIdentifier)!, CultureInfo.InvariantCulture);
}
