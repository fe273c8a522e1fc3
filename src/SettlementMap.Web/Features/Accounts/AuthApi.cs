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

public sealed record CurrentUser(bool SignedIn, string? UserName, string? DisplayName, string? Role, IReadOnlyList<string> Municipalities, string CsrfToken);

public sealed record SignInRequest(string? UserName, string? Password);

public sealed record TokenRequest(string? Name, int? Days);

public sealed record IssuedToken(string Token, string Name, DateTimeOffset? ExpiresAt);

public static class AuthApi
{
    private const string WrongCredentials = "The user name or password is wrong.";

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
            .Select(u => new { u.UserName, u.DisplayName, u.Role, Municipalities = u.Municipalities.OrderBy(m => m.Code).Select(m => m.Code).ToList() })
            .SingleAsync(cancellationToken);
        return TypedResults.Ok(new CurrentUser(true, user.UserName, user.DisplayName, EnumText.ToText(user.Role), user.Municipalities, csrf));
    }

    public static async Task<Results<Ok<CurrentUser>, ProblemHttpResult, ValidationProblem>> SignIn(HttpContext context, SettlementMapDbContext db,
        AccountService accounts, SignInThrottle throttle, PasswordHashGate hashing, IAntiforgery antiforgery, CancellationToken cancellationToken)
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
        await throttle.SucceededAsync(keys);
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
        var id = long.Parse(context.User.FindFirstValue(ClaimTypes.NameIdentifier)!, CultureInfo.InvariantCulture);
        var user = await db.Users.SingleAsync(u => u.Id == id, cancellationToken);
        var (token, text) = await accounts.IssueTokenAsync(user, request!.Name!.Trim(), TimeSpan.FromDays(request.Days ?? 90), cancellationToken);
        return TypedResults.Created((string?)null, new IssuedToken(text, token.Name, token.ExpiresAt));
    }
}
