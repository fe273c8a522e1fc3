using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Accounts;

public sealed record NewUser(string? UserName, string? DisplayName, string? Role, IReadOnlyList<string>? Municipalities, string? Password);

public sealed record UserSummary(string UserName, string DisplayName, string Role, bool IsActive, IReadOnlyList<string> Municipalities);

/// <summary>Administrators manage accounts; the same rules serve the API and the command line.</summary>
public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Accounts")
            .RequireAuthorization(Authentication.AdministratorPolicy)
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies);
        users.MapGet("/", ListUsers).WithName(nameof(ListUsers)).WithSummary("Every account with its role and municipalities");
        users.MapPost("/", CreateUser).WithName(nameof(CreateUser)).WithSummary("A new administrator or coordinator (scoped to municipalities)");
        users.MapDelete("/{userName}", DeactivateUser).WithName(nameof(DeactivateUser))
            .WithSummary("Deactivates an account: its sessions and tokens stop working; its edits stay in the history");
        return app;
    }

    public static async Task<Ok<List<UserSummary>>> ListUsers(SettlementMapDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await Summaries(db.Users).ToListAsync(cancellationToken));

    public static async Task<Results<Created<UserSummary>, ProblemHttpResult, ValidationProblem>> CreateUser(
        HttpContext context, SettlementMapDbContext db, AccountService accounts, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.BindAsync<NewUser>(context.Request, 16 * 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var (user, errors) = await CreateAsync(db, accounts, request!, cancellationToken);
        if (user is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The account cannot be created.");
        }
        var summary = await Summaries(db.Users.Where(u => u.Id == user.Id)).SingleAsync(cancellationToken);
        return TypedResults.Created($"/api/users/{user.UserName}", summary);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeactivateUser(
        string userName, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        var name = AccountService.NormaliseUserName(userName);
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == name, cancellationToken);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such account.", detail: $"No account is named '{name}'.");
        }
        user.IsActive = false;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Validates and stores a new account; errors are keyed by field.</summary>
    public static async Task<(UserAccount? User, Dictionary<string, string[]> Errors)> CreateAsync(
        SettlementMapDbContext db, AccountService accounts, NewUser request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var name = AccountService.NormaliseUserName(request.UserName ?? "");
        if (!AccountService.IsPossibleUserName(name))
        {
            errors["user_name"] = [AccountService.UserNameRule];
        }
        else if (await db.Users.AnyAsync(u => u.UserName == name, cancellationToken))
        {
            errors["user_name"] = [$"An account named '{name}' exists already."];
        }
        var roleKnown = EnumText.TryParse<UserRole>(request.Role, out var role);
        if (!roleKnown)
        {
            errors["role"] = [$"role must be one of {string.Join(", ", EnumText.Values<UserRole>())}."];
        }
        var codes = (request.Municipalities ?? []).Distinct(StringComparer.Ordinal).ToList();
        var municipalities = await db.Municipalities.Where(m => codes.Contains(m.Code)).ToListAsync(cancellationToken);
        var unknown = codes.Except(municipalities.Select(m => m.Code), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            errors["municipalities"] = [$"Unknown municipality code(s): {string.Join(", ", unknown)}."];
        }
        else if (roleKnown && role == UserRole.Coordinator && municipalities.Count == 0)
        {
            errors["municipalities"] = ["A coordinator needs at least one municipality."];
        }
        else if (roleKnown && role == UserRole.Administrator && municipalities.Count > 0)
        {
            errors["municipalities"] = ["Administrators edit everywhere; give no municipalities."];
        }
        var passwordProblems = AccountService.PasswordProblems(request.Password).ToArray();
        if (passwordProblems.Length > 0)
        {
            errors["password"] = passwordProblems;
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var user = new UserAccount
        {
            UserName = name,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? name : request.DisplayName.Trim(),
            PasswordHash = "",
            Role = role,
        };
        user.PasswordHash = accounts.HashPassword(user, request.Password!);
        user.Municipalities.AddRange(municipalities);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return (user, errors);
    }

    // Filter before this projection: EF cannot translate a filter on the record it builds.
    private static IQueryable<UserSummary> Summaries(IQueryable<UserAccount> users) =>
        users.AsNoTracking().OrderBy(u => u.UserName).Select(u => new UserSummary(
            u.UserName, u.DisplayName, u.Role == UserRole.Administrator ? "administrator" : "coordinator", u.IsActive,
            u.Municipalities.OrderBy(m => m.Code).Select(m => m.Code).ToList()));
}
