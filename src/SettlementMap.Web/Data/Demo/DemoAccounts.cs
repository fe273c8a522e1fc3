using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace SettlementMap.Web.Data.Demo;

/// <summary>
/// The demo's accounts: one administrator and a coordinator for each programme municipality,
/// with passwords documented in the README and printed at start-up. Created only where no
/// account exists yet, and only when the demo data is loaded (Demo:Load).
/// </summary>
public static class DemoAccounts
{
    public const string AdministratorName = "admin";
    public const string AdministratorPassword = "demo-admin-2026";
    public const string CoordinatorPrefix = "coord-";
    public const string CoordinatorPassword = "demo-coordinator";

    public static string Describe() =>
        $"Demo accounts: {AdministratorName} / {AdministratorPassword} (administrator); " +
        $"{CoordinatorPrefix}<municipality code> / {CoordinatorPassword} for each ROMACTED or UNDP-youth municipality, e.g. {CoordinatorPrefix}nis, {CoordinatorPrefix}zvezdara (coordinators).";

    public static async Task<int> EnsureAsync(SettlementMapDbContext db, IPasswordHasher<UserAccount> hasher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(hasher);
        if (await db.Users.AnyAsync(cancellationToken) || !await db.Municipalities.AnyAsync(cancellationToken))
        {
            return 0;
        }
        var admin = new UserAccount { UserName = AdministratorName, DisplayName = "Demo administrator", PasswordHash = "", Role = UserRole.Administrator };
        admin.PasswordHash = hasher.HashPassword(admin, AdministratorPassword);
        db.Users.Add(admin);
        var municipalities = await db.Coverage
            .Where(c => c.Kind == CoverageKind.Programme)
            .Select(c => c.Municipality!)
            .Distinct()
            .OrderBy(m => m.Code)
            .ToListAsync(cancellationToken);
        // One hash for every demo coordinator: they share the documented password, and PBKDF2 is slow on purpose.
        var coordinatorHash = hasher.HashPassword(null!, CoordinatorPassword);
        foreach (var municipality in municipalities)
        {
            var coordinator = new UserAccount
            {
                UserName = CoordinatorPrefix + municipality.Code,
                DisplayName = $"Coordinator for Roma issues, {municipality.NameLatn} (demo)",
                PasswordHash = coordinatorHash,
                Role = UserRole.Coordinator,
            };
            coordinator.Municipalities.Add(municipality);
            db.Users.Add(coordinator);
        }
        await db.SaveChangesAsync(cancellationToken);
        return municipalities.Count + 1;
    }
}
