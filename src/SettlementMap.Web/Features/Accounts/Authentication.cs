using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Accounts;

/// <summary>
/// Cookie sign-in for the page (with antiforgery on every state-changing request) and personal
/// access tokens (Authorization: Bearer) for API clients, behind one default scheme that picks
/// by the request.
/// </summary>
public static class Authentication
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string TokenScheme = "AccessToken";
    private const string SelectorScheme = "CookieOrToken";
    public const string EditorPolicy = "editor";
    public const string AdministratorPolicy = "administrator";
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public static IServiceCollection AddSettlementMapAuthentication(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.AddScoped<AccountService>().AddScoped<TwoFactor>();
        services.AddSingleton<SignInThrottle>().AddSingleton<PasswordHashGate>();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = "sm_csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "Cookie or access token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? TokenScheme : CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "sm_auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                // An API answers 401/403; it never redirects to a login page.
                o.Events.OnRedirectToLogin = context => { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = context => { context.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
                // A deactivated account loses its open sessions at the next request, and a changed role
                // applies at once: the cookie's role claim is replaced by the stored one.
                o.Events.OnValidatePrincipal = async context =>
                {
                    var db = context.HttpContext.RequestServices.GetRequiredService<SettlementMapDbContext>();
                    var editor = await Editor.LoadAsync(context.Principal!, db, context.HttpContext.RequestAborted);
                    // Read once a request: what the viewer may see (Sensitivity/Viewer) takes it from here.
                    context.HttpContext.Items[typeof(Editor)] = editor;
                    if (editor is null || SignedInBefore(context.Properties.IssuedUtc, editor.PasswordResetAt))
                    {
                        context.RejectPrincipal();
                    }
                    else if (editor.IsAdministrator != context.Principal!.IsInRole(EnumText.ToText(UserRole.Administrator)))
                    {
                        context.ReplacePrincipal(new ClaimsPrincipal(AccountService.Identity(editor.UserId, editor.UserName,
                            editor.IsAdministrator ? UserRole.Administrator : UserRole.Coordinator, CookieScheme)));
                        context.ShouldRenew = true;
                    }
                };
            })
            .AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(TokenScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(EditorPolicy, p => p.RequireAuthenticatedUser().RequireRole("coordinator", "administrator"))
            .AddPolicy(AdministratorPolicy, p => p.RequireAuthenticatedUser().RequireRole("administrator"));
        return services;
    }

    /// <summary>
    /// Whether a session began before an administrator set a new password (a reset after a suspected
    /// compromise must end the intruder's session too). The cookie keeps its issue time to the second,
    /// so the reset's second counts as after it: a sign-in with the new password in that second survives.
    /// </summary>
    public static bool SignedInBefore(DateTimeOffset? issued, DateTimeOffset? passwordReset) =>
        issued is { } i && passwordReset is { } r && i < r.AddTicks(-(r.UtcTicks % TimeSpan.TicksPerSecond));

    /// <summary>
    /// Cookie-authenticated state changes must carry the antiforgery header (a page on another
    /// site cannot read it); token clients are not exposed to cross-site requests.
    /// </summary>
    public static async ValueTask<object?> RequireAntiforgeryForCookies(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && http.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieScheme })
        {
            try
            {
                await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token.",
                    detail: $"Signed-in pages send the token from /api/auth/me in the {AntiforgeryHeader} header.");
            }
        }
        return await next(context);
    }
}

/// <summary>Authenticates "Authorization: Bearer smpat_…" against the stored token hashes.</summary>
public sealed class AccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, SettlementMapDbContext db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>How stale a token's last-used time may be.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(5);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var text = header["Bearer ".Length..].Trim();
        if (!text.StartsWith(AccountService.TokenPrefix, StringComparison.Ordinal) || text.Length > 200)
        {
            return AuthenticateResult.Fail("Not a SettlementMap access token.");
        }
        var hash = AccountService.HashToken(text);
        var now = clock.GetUtcNow();
        var found = await db.AccessTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now) && t.User!.IsActive)
            .Select(t => new { t.Id, t.LastUsedAt, User = t.User! })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (found is null)
        {
            return AuthenticateResult.Fail("Unknown, revoked or expired access token.");
        }
        // Written only when the last record is older than a few minutes: a busy client costs no write a request.
        if (found.LastUsedAt is not { } used || now - used > LastUsedResolution)
        {
            await db.AccessTokens.Where(t => t.Id == found.Id).ExecuteUpdateAsync(t => t.SetProperty(x => x.LastUsedAt, now), Context.RequestAborted);
        }
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(AccountService.Identity(found.User, Scheme.Name)), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
