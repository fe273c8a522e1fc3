using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web;

namespace SettlementMap.Tests.Import;

/// <summary>
/// Measures from a spreadsheet (kind=measures): the sample's dry run names each bad row's field and writes nothing, apply
/// writes through the API's rules and audit, a re-import changes nothing, coordinators only into their municipalities,
/// and hostile files are refused whole (4xx) or row by row.
/// </summary>
public sealed class MeasureImportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Kind = "&kind=measures";

    private static List<string> Fields(ImportAnswer answer, long row) =>
        [.. answer.Json.GetProperty("problems").EnumerateArray().Where(p => p.GetProperty("row").GetInt64() == row).Select(p => p.GetProperty("field").GetString()!)];

    [Fact]
    public async Task The_sample_dry_runs_three_good_rows_and_three_refused_by_field_applies_them_audited_and_reimports_unchanged()
    {
        var paths = app.Factory.Services.GetRequiredService<ProjectPaths>();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(paths.Data, "samples", "measures_nis.csv"));
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        await using var db = app.CreateContext();
        var before = await db.Measures.CountAsync();

        var dryRun = await ImportSteps.UploadAsync(admin, "measures_nis.csv", bytes, Kind);
        Assert.True(dryRun.Status == HttpStatusCode.Created, dryRun.Json.ToString());
        Assert.Equal(3, dryRun.Number("created"));
        Assert.Equal([4L, 5L, 6L], dryRun.BadRows);
        Assert.Equal(["settlement_codes"], Fields(dryRun, 4));
        Assert.Equal(["started_on"], Fields(dryRun, 5));
        Assert.Equal(["indicators", "budget.amount"], Fields(dryRun, 6));
        Assert.Equal(["create", "create", "create"], dryRun.Json.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("becomes").GetString()));
        Assert.Equal(before, await db.Measures.CountAsync());

        var refused = await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: false);
        Assert.False(refused.Json.GetProperty("applied").GetBoolean());
        Assert.Equal(before, await db.Measures.CountAsync());
        var again = await ImportSteps.UploadAsync(admin, "measures_nis.csv", bytes, Kind);
        var applied = await ImportSteps.ApplyAsync(admin, again.Id, skipBadRows: true);
        Assert.True(applied.Json.GetProperty("applied").GetBoolean(), applied.Json.ToString());
        Assert.Equal(3, applied.Number("created"));
        Assert.Equal(before + 3, await db.Measures.CountAsync());

        var water = await db.Measures.AsNoTracking().Include(m => m.Settlements).Include(m => m.Indicators).Include(m => m.Programme)
            .SingleAsync(m => m.TitleLatn == "Proširenje vodovodne mreže (uzorak)");
        Assert.Equal(["DEMO-NIS-001", "DEMO-NIS-002"], water.Settlements.Select(s => s.Code).Order());
        Assert.Equal("Проширење водоводне мреже (узорак)", water.TitleCyrl);
        Assert.Equal("romacted", water.Programme!.Code);
        Assert.Equal((40m, 12m, "domaćinstva"), (water.Indicators[0].TargetValue!.Value, water.Indicators[0].AchievedValue!.Value, water.Indicators[0].Unit!));
        Assert.Equal(new DateOnly(2025, 3, 1), water.StartedOn);
        var audit = await db.MeasureChanges.AsNoTracking().Where(c => c.MeasureId == water.Id).ToListAsync();
        Assert.Equal("admin", Assert.Single(audit).ChangedBy);

        var third = await ImportSteps.UploadAsync(admin, "measures_nis.csv", bytes, Kind);
        Assert.Equal((0L, 0L, 3L), (third.Number("created"), third.Number("updated"), third.Number("unchanged")));
        // A changed amount updates the measure of the same plan and title, audited as an update.
        var changed = Encoding.UTF8.GetString(bytes).Replace("12000000,3000000", "12000000,4500000", StringComparison.Ordinal);
        var update = await ImportSteps.UploadAsync(admin, "measures_nis.csv", changed, Kind);
        Assert.Equal(1, update.Number("updated"));
        Assert.Equal(1, (await ImportSteps.ApplyAsync(admin, update.Id, skipBadRows: true)).Number("updated"));
        Assert.Equal(4_500_000m, (await db.Measures.AsNoTracking().SingleAsync(m => m.Id == water.Id)).SpentAmount);
        Assert.Equal(2, await db.MeasureChanges.CountAsync(c => c.MeasureId == water.Id));
    }

    /// <summary>A plan kept in Excel: headers as people write them, a date cell, number cells.</summary>
    [Fact]
    public async Task An_xlsx_sheet_with_date_and_number_cells_imports_like_the_csv()
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var folder = Directory.CreateTempSubdirectory("measures-xlsx-");
        var path = Fixtures.ImportFixtures.Xlsx(folder.FullName, "LAP", [
            ["Municipality", "Priority area", "Title latn", "Settlement codes", "Status", "Started on", "Currency", "Budget amount", "Indicators", "Napomena"],
            ["nis", "employment", "Javni radovi (xlsx)", "DEMO-NIS-004, DEMO-NIS-005", "in_progress", new DateTime(2025, 2, 3, 0, 0, 0, DateTimeKind.Utc), "EUR", 25000.5, "Zaposleni: 10/3 osoba", "ignored"],
        ]);
        var answer = await ImportSteps.UploadAsync(admin, "lap.xlsx", await File.ReadAllBytesAsync(path), Kind);
        Assert.True(answer.Status == HttpStatusCode.Created, answer.Json.ToString());
        Assert.Equal((1L, 0L), (answer.Number("created"), answer.Number("rows_with_problems")));
        Assert.Equal(["Napomena"], answer.Json.GetProperty("unmapped_columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(1, (await ImportSteps.ApplyAsync(admin, answer.Id, skipBadRows: false)).Number("created"));
        await using var db = app.CreateContext();
        var measure = await db.Measures.AsNoTracking().Include(m => m.Settlements).SingleAsync(m => m.TitleLatn == "Javni radovi (xlsx)");
        Assert.Equal((new DateOnly(2025, 2, 3), 25000.5m, 2), (measure.StartedOn!.Value, measure.BudgetAmount!.Value, measure.Settlements.Count));
    }

    /// <summary>The import page lists the columns for the user: the importer's own list, not a drifting copy.</summary>
    [Fact]
    public async Task The_page_lists_the_columns_the_importer_reads()
    {
        var script = await File.ReadAllTextAsync(Path.Combine(app.Factory.Services.GetRequiredService<ProjectPaths>().WebRoot, "js", "import.js"));
        var list = System.Text.RegularExpressions.Regex.Match(script, @"const MEASURE_COLUMNS = \[(?<names>[^\]]*)\]").Groups["names"].Value;
        Assert.Equal(Web.Features.Import.MeasureImport.Columns,
            System.Text.RegularExpressions.Regex.Matches(list, "'([a-z_]+)'").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task A_coordinator_imports_into_their_own_municipality_only()
    {
        using var coordinator = await Edits.ClientAsync(app, Edits.CoordinatorNis);
        const string Csv = "municipality,priority_area,title_latn\nnis,health,Vakcinacija (test)\nzvezdara,health,Vakcinacija (test)\n";
        var dryRun = await ImportSteps.UploadAsync(coordinator, "m.csv", Csv, Kind);
        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Equal(1, dryRun.Number("created"));
        Assert.Equal([2L], dryRun.BadRows);
        Assert.Equal(["municipality"], Fields(dryRun, 2));
    }

    [Fact]
    public async Task Hostile_files_are_refused_whole_with_4xx_or_row_by_row_never_500()
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var kind = await ImportSteps.UploadAsync(admin, "m.csv", "municipality\nnis\n", "&kind=plans");
        Assert.Equal(HttpStatusCode.BadRequest, kind.Status);
        Assert.True(kind.Json.GetProperty("errors").TryGetProperty("kind", out _));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ImportSteps.UploadAsync(admin, "m.geojson", """{"type":"FeatureCollection","features":[]}""", Kind)).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ImportSteps.UploadAsync(admin, "m.csv", "title_latn\nX\n", Kind)).Status);

        // More rows than a plan has: the whole file, bounded, not 10^6 database round trips.
        var many = new StringBuilder("municipality,priority_area,title_latn\n");
        for (var i = 0; i < Web.Features.Import.MeasureImport.MaxRows + 1; i++)
        {
            many.Append("nis,health,T").Append(i).Append('\n');
        }
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ImportSteps.UploadAsync(admin, "m.csv", many.ToString(), Kind)).Status);

        var huge = new string('x', 100_000);
        var rows = await ImportSteps.UploadAsync(admin, "m.csv",
            $"municipality,priority_area,title_latn,budget_amount,currency,done_on,status\nnis,health,{huge},1,RSD,,planned\nnis,health,Formula,=1+1,RSD,,planned\nnis,health,Datum,,,2025-13-45,done\nnis,nowhere,Oblast,,,,\n", Kind);
        Assert.True(rows.Status == HttpStatusCode.Created, rows.Json.ToString());
        Assert.Equal([1L, 2L, 3L, 4L], rows.BadRows);
        Assert.Equal(["title_latn"], Fields(rows, 1));
        Assert.Equal(["budget.amount"], Fields(rows, 2));
        Assert.Contains("done_on", Fields(rows, 3));
        Assert.Equal(["priority_area"], Fields(rows, 4));
        Assert.DoesNotContain(huge, rows.Json.GetRawText(), StringComparison.Ordinal);
    }
}
