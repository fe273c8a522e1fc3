using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Export;

/// <summary>An export with as_of holds the settlements as they were then, like the layer it was filtered on.</summary>
public sealed class ExportAsOfTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task An_export_as_of_an_instant_holds_each_settlement_as_it_was_then()
    {
        long id;
        string before;
        await using (var db = app.CreateContext())
        {
            var settlement = await db.Settlements.Include(s => s.Municipality).Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).FirstAsync();
            id = settlement.Id;
            before = settlement.NameLatn;
        }
        // A change dated a day ahead (a change may not be dated before the settlement's current version, which
        // the demo database's loading began today), so the instants around it are known exactly.
        var changedAt = DateTimeOffset.UtcNow.AddDays(1);
        await using (var db = app.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await SettlementMap.Web.Features.History.ChangeTime.SetAsync(db, changedAt, CancellationToken.None);
            await db.Database.ExecuteSqlAsync($"UPDATE settlements SET name_latn = 'Renamed later' WHERE id = {id}");
            await transaction.CommitAsync();
        }

        using var client = app.Factory.CreateClient();
        async Task<string> NameAsync(DateTimeOffset at)
        {
            var asOf = Uri.EscapeDataString(at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            var bytes = await client.GetByteArrayAsync(new Uri($"/api/export/settlements?format=csv&municipality=nis&as_of={asOf}", UriKind.Relative));
            using var reader = new StringReader(Encoding.UTF8.GetString(bytes.AsSpan(3)));
            using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
            return (string)csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().Single(r => (string)r["id"] == id.ToString(CultureInfo.InvariantCulture))["name_latn"];
        }
        Assert.Equal(before, await NameAsync(changedAt.AddTicks(-10)));
        Assert.Equal("Renamed later", await NameAsync(changedAt));
        // A bad as_of is a 400 naming it, not an export of the current state.
        var bad = await client.GetAsync(new Uri("/api/export/settlements?format=csv&as_of=2019-02-30", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("as_of", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
