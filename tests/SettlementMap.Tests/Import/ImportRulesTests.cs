using System.Net;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Import;

/// <summary>
/// The settlement rules between the rows of one file: rows that overlap each other are reported by
/// the dry run (not "all good") and refused by apply, as the editing API refuses an outline over
/// a stored settlement.
/// </summary>
public sealed class ImportRulesTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Rows_of_one_file_that_overlap_each_other_are_reported_by_the_dry_run_and_refused_by_apply()
    {
        var spots = await ImportSteps.FreeSpotsAsync(app.ConnectionString, "leskovac", 2);
        var (lon, lat) = spots[0];
        var file = ImportSteps.FeatureCollection(
            (ImportSteps.Square(lon, lat), new { sifra = "OVL-001", naziv = "Prva", opstina = "leskovac" }),
            (ImportSteps.Square(lon + 0.0005, lat), new { sifra = "OVL-002", naziv = "Druga", opstina = "leskovac" }),   // half of row 1
            (ImportSteps.Square(spots[1].Lon, spots[1].Lat), new { sifra = "OVL-003", naziv = "Treća", opstina = "leskovac" }),
            (ImportSteps.Square(lon, lat), new { sifra = "OVL-004", naziv = "Četvrta", opstina = "leskovac" }));              // row 1 exactly
        using var admin = await Edits.ClientAsync(app, Edits.Admin);

        var dryRun = await ImportSteps.UploadAsync(admin, "overlaps.geojson", file);

        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Equal([2L, 4L], dryRun.BadRows);
        Assert.Contains(dryRun.Reasons(2), r => r.Contains("row 1 of this file", StringComparison.Ordinal));
        Assert.Contains(dryRun.Reasons(4), r => r.Contains("row 1 of this file", StringComparison.Ordinal));
        Assert.Equal(2, dryRun.Number("created"));
        Assert.DoesNotContain("rows are good", dryRun.Json.GetProperty("outcome").GetString(), StringComparison.Ordinal);

        var refused = await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: false);
        Assert.False(refused.Json.GetProperty("applied").GetBoolean());
        Assert.Equal([2L, 4L], refused.BadRows);
        var applied = await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: true);
        Assert.True(applied.Json.GetProperty("applied").GetBoolean());
        await using var db = app.CreateContext();
        Assert.Equal(["OVL-001", "OVL-003"], await db.Settlements.Where(s => s.Code.StartsWith("OVL-")).OrderBy(s => s.Code).Select(s => s.Code).ToListAsync());
    }
}
