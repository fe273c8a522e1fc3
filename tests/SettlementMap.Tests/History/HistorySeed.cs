using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.History;

namespace SettlementMap.Tests.History;

/// <summary>
/// Builds a small history by hand: places, accounts, and settlement changes each made at a chosen instant
/// (settlementmap.change_time set in the change's transaction, as the editing API and the importer do), with
/// the audit row the application would write.
/// </summary>
public sealed class HistorySeed(SettlementMapDbContext db)
{
    private static readonly GeometryFactory Geometry = NtsGeometryServices.Instance.CreateGeometryFactory(4326);
    private int _count;

    public static MultiPolygon Square(double lon, double lat, double half) => Geometry.CreateMultiPolygon(
    [
        Geometry.CreatePolygon(
        [
            new(lon - half, lat - half), new(lon + half, lat - half), new(lon + half, lat + half), new(lon - half, lat + half), new(lon - half, lat - half),
        ]),
    ]);

    public static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 12, 0, 0, TimeSpan.Zero);

    public Municipality Municipality(string code, string latn, string cyrl, District district, double lon)
    {
        var municipality = new Municipality
        {
            Code = code, NameLatn = latn, NameCyrl = cyrl, District = district, Seat = Geometry.CreatePoint(new Coordinate(lon, 44.0)),
            Geom = Square(lon, 44.0, 0.08), Source = "test",
        };
        db.Municipalities.Add(municipality);
        return municipality;
    }

    public UserAccount Account(string userName, UserRole role, params Municipality[] municipalities)
    {
        var user = new UserAccount { UserName = userName, DisplayName = userName, PasswordHash = "not a hash: signs in by token only", Role = role, CreatedAt = At(2015, 1, 1) };
        user.Municipalities.AddRange(municipalities);
        db.Users.Add(user);
        return user;
    }

    /// <summary>Runs <paramref name="change"/> and saves it in one transaction whose changes take effect at <paramref name="at"/>.</summary>
    public async Task AtAsync(DateTimeOffset at, Action change)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var transaction = await db.Database.BeginTransactionAsync();
        await ChangeTime.SetAsync(db, at, default);
        change();
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    /// <summary>A settlement created at <paramref name="at"/> by <paramref name="by"/> (no audit row when <paramref name="audited"/> is false).</summary>
    public async Task<Settlement> CreateAsync(Municipality municipality, DateTimeOffset at, string by, int? inhabitants = null, string? note = null, bool audited = true)
    {
        _count++;
        var settlement = new Settlement
        {
            Code = $"HIST-{_count:000}", NameLatn = $"Naselje {_count}", NameCyrl = $"Насеље {_count}", Municipality = municipality,
            Geom = Square(municipality.Seat.X - 0.05 + _count * 0.01, 44.0, 0.003), EstimatedInhabitants = inhabitants, Source = "test",
            UpdatedAt = at, UpdatedBy = by,
        };
        await AtAsync(at, () => db.Settlements.Add(settlement));
        if (audited)
        {
            await AuditAsync(settlement, ChangeAction.Create, at, by, note);
        }
        return settlement;
    }

    /// <summary>Changes the settlement's estimate at <paramref name="at"/>, as <paramref name="by"/>.</summary>
    public async Task UpdateAsync(Settlement settlement, DateTimeOffset at, string by, int inhabitants, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        await AtAsync(at, () =>
        {
            settlement.EstimatedInhabitants = inhabitants;
            settlement.UpdatedAt = at;
            settlement.UpdatedBy = by;
        });
        await AuditAsync(settlement, ChangeAction.Update, at, by, note);
    }

    public async Task DeleteAsync(Settlement settlement, DateTimeOffset at, string by)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        await AtAsync(at, () => db.Settlements.Remove(settlement));
        await AuditAsync(settlement, ChangeAction.Delete, at, by, null);
    }

    private async Task AuditAsync(Settlement settlement, ChangeAction action, DateTimeOffset at, string by, string? note)
    {
        db.SettlementChanges.Add(new SettlementChange { SettlementId = settlement.Id, Action = action, ChangedAt = at, ChangedBy = by, Changes = "{}", Note = note });
        await db.SaveChangesAsync();
    }

    /// <summary>A bearer token of the account, issued by the application's own AccountService.</summary>
    public static async Task<HttpClient> ClientAsync(SettlementMapFactory factory, string? userName)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var client = factory.CreateClient();
        if (userName is null)
        {
            return client;
        }
        using var scope = factory.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var context = scope.ServiceProvider.GetRequiredService<SettlementMapDbContext>();
        var user = await context.Users.SingleAsync(u => u.UserName == userName);
        var (_, token) = await accounts.IssueTokenAsync(user, "test", TimeSpan.FromDays(1), default);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
