using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Import;

/// <summary>
/// The import through its HTTP API on the real PostGIS: the dry run lists exactly the bad rows and
/// writes nothing, apply is all-or-nothing or skips bad rows, re-import changes nothing, every write
/// is audited with the account and the file, and coordinators import only into their municipalities.
/// </summary>
public sealed class ImportApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_dry_run_lists_exactly_the_bad_rows_apply_skips_them_and_a_second_import_changes_nothing()
    {
        var spots = await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 4);
        var file = ImportSteps.FeatureCollection(
            (ImportSteps.Square(spots[0].Lon, spots[0].Lat), new { sifra = "IMPA-001", naziv = "Прва махала", opstina = "Niš", vodosnabdevanje = "водовод", broj_stanovnika = "120" }),
            (ImportSteps.Square(spots[1].Lon, spots[1].Lat), new { sifra = "IMPA-002", naziv = "Druga mahala", opstina = "nis", vodosnabdevanje = "bunari", broj_stanovnika = "-5" }),
            (ImportSteps.Square(spots[2].Lon, spots[2].Lat), new { sifra = "IMPA-003", naziv = "Treća mahala", opstina = "Ниш", vodosnabdevanje = "reka", broj_stanovnika = "40" }),
            (ImportSteps.Square(spots[3].Lon, spots[3].Lat), new { sifra = "IMPA-004", naziv = "Četvrta mahala", opstina = "Niš", vodosnabdevanje = "water network", broj_stanovnika = "1.200" }));
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var before = await CountAsync("IMPA-");

        var dryRun = await ImportSteps.UploadAsync(admin, "mahale.geojson", file);

        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Equal([2L, 3L], dryRun.BadRows);
        Assert.Contains(dryRun.Reasons(2), r => r.Contains("-5", StringComparison.Ordinal) || r.Contains("0 ", StringComparison.Ordinal));
        Assert.Contains(dryRun.Reasons(3), r => r.Contains("reka", StringComparison.Ordinal));
        Assert.Equal(2, dryRun.Number("created"));
        Assert.Equal(before, await CountAsync("IMPA-"));

        var allOrNothing = await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: false);
        Assert.Equal(HttpStatusCode.OK, allOrNothing.Status);
        Assert.False(allOrNothing.Json.GetProperty("applied").GetBoolean());
        Assert.Equal(before, await CountAsync("IMPA-"));

        var applied = await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: true);
        Assert.True(applied.Json.GetProperty("applied").GetBoolean());
        Assert.Equal(2, applied.Number("created"));
        await using (var db = app.CreateContext())
        {
            var first = await db.Settlements.Include(s => s.Municipality).SingleAsync(s => s.Code == "IMPA-001");
            Assert.Equal("Prva mahala", first.NameLatn);
            Assert.Equal("Прва махала", first.NameCyrl);
            Assert.Equal(WaterSupply.Network, first.WaterSupply);
            Assert.Equal(120, first.EstimatedInhabitants);
            Assert.Equal("nis", first.Municipality!.Code);
            Assert.Equal("import: mahale.geojson", first.Source);
            var fourth = await db.Settlements.SingleAsync(s => s.Code == "IMPA-004");
            Assert.Equal(1200, fourth.EstimatedInhabitants);
            var audit = await db.SettlementChanges.Where(c => c.SettlementId == first.Id).ToListAsync();
            var created = Assert.Single(audit);
            Assert.Equal(ChangeAction.Create, created.Action);
            Assert.Equal(Edits.Admin, created.ChangedBy);
            Assert.Contains("mahale.geojson", created.Note, StringComparison.Ordinal);
        }
        var auditRows = await AuditCountAsync("IMPA-");

        // The same file again: the good rows are unchanged, nothing new in the audit.
        var again = await ImportSteps.UploadAsync(admin, "mahale.geojson", file);
        Assert.Equal(0, again.Number("created"));
        Assert.Equal(0, again.Number("updated"));
        Assert.Equal(2, again.Number("unchanged"));
        var reapplied = await ImportSteps.ApplyAsync(admin, again.Id, skipBadRows: true);
        Assert.True(reapplied.Json.GetProperty("applied").GetBoolean());
        Assert.Equal(auditRows, await AuditCountAsync("IMPA-"));
        Assert.Equal(before + 2, await CountAsync("IMPA-"));
    }

    [Fact]
    public async Task A_changed_attribute_updates_the_settlement_with_an_audit_of_the_change()
    {
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "leskovac", 1))[0];
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        string File(string water) => ImportSteps.FeatureCollection(
            (ImportSteps.Square(spot.Lon, spot.Lat), new { code = "IMPB-001", name = "Podvorce", municipality = "leskovac", water_supply = water }));
        var first = await ImportSteps.UploadAsync(admin, "a.geojson", File("wells"));
        Assert.True((await ImportSteps.ApplyAsync(admin, first.Id, false)).Json.GetProperty("applied").GetBoolean());

        var second = await ImportSteps.UploadAsync(admin, "a.geojson", File("network"));
        Assert.Equal(1, second.Number("updated"));
        Assert.True((await ImportSteps.ApplyAsync(admin, second.Id, false)).Json.GetProperty("applied").GetBoolean());

        await using var db = app.CreateContext();
        var settlement = await db.Settlements.SingleAsync(s => s.Code == "IMPB-001");
        Assert.Equal(WaterSupply.Network, settlement.WaterSupply);
        var update = await db.SettlementChanges.Where(c => c.SettlementId == settlement.Id && c.Action == ChangeAction.Update).SingleAsync();
        using var changes = JsonDocument.Parse(update.Changes);
        Assert.Equal("wells", changes.RootElement.GetProperty("water_supply").GetProperty("old").GetString());
        Assert.Equal("network", changes.RootElement.GetProperty("water_supply").GetProperty("new").GetString());
    }

    [Fact]
    public async Task Geometry_problems_are_reported_in_plain_words_and_repair_is_listed_when_asked()
    {
        var spots = await ImportSteps.FreeSpotsAsync(app.ConnectionString, "vranje", 3);
        await using var db = app.CreateContext();
        var existing = await db.Settlements.Where(s => s.Municipality!.Code == "vranje").OrderBy(s => s.Id).Select(s => new { s.Code, s.Centroid }).FirstAsync();
        var file = ImportSteps.FeatureCollection(
            (ImportSteps.BowTie(spots[0].Lon, spots[0].Lat), new { code = "IMPC-001", name = "Leptir", municipality = "vranje" }),
            (new { type = "Point", coordinates = new[] { spots[1].Lon, spots[1].Lat } }, new { code = "IMPC-002", name = "Tačka", municipality = "vranje" }),
            (ImportSteps.Square(existing.Centroid!.X, existing.Centroid.Y), new { code = "IMPC-003", name = "Preklop", municipality = "vranje" }),
            (ImportSteps.Square(spots[2].Lon, spots[2].Lat), new { code = "IMPC-004", name = "Pogrešna opština", municipality = "nis" }),
            (ImportSteps.Square(10.5, 45.0), new { code = "IMPC-005", name = "Italija", municipality = "vranje" }));
        using var admin = await Edits.ClientAsync(app, Edits.Admin);

        var plain = await ImportSteps.UploadAsync(admin, "geometrije.geojson", file);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], plain.BadRows);
        Assert.Contains(plain.Reasons(1), r => r.Contains("not valid", StringComparison.Ordinal) && r.Contains("repair", StringComparison.Ordinal));
        Assert.Contains(plain.Reasons(2), r => r.Contains("Point", StringComparison.Ordinal));
        Assert.Contains(plain.Reasons(3), r => r.Contains("overlaps the settlement " + existing.Code, StringComparison.Ordinal));
        Assert.Contains(plain.Reasons(4), r => r.Contains("not inside the municipality", StringComparison.Ordinal));
        Assert.Contains(plain.Reasons(5), r => r.Contains("outside Serbia", StringComparison.Ordinal));

        var repaired = await ImportSteps.UploadAsync(admin, "geometrije.geojson", file, "&repair=true");
        Assert.Equal([2L, 3L, 4L, 5L], repaired.BadRows);
        var repair = Assert.Single(repaired.Json.GetProperty("repairs").EnumerateArray());
        Assert.Equal(1, repair.GetProperty("row").GetInt64());
        Assert.Contains("Self-intersection", repair.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_imports_into_their_municipality_only_and_sees_only_their_imports()
    {
        var nis = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 1))[0];
        var vranje = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "vranje", 1))[0];
        var file = ImportSteps.FeatureCollection(
            (ImportSteps.Square(nis.Lon + 0.004, nis.Lat), new { code = "IMPD-001", name = "Moja", municipality = "nis" }),
            (ImportSteps.Square(vranje.Lon, vranje.Lat), new { code = "IMPD-002", name = "Tuđa", municipality = "vranje" }));
        using var coordinator = await Edits.ClientAsync(app, Edits.CoordinatorNis);

        var dryRun = await ImportSteps.UploadAsync(coordinator, "moje.geojson", file);
        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Equal([2L], dryRun.BadRows);
        Assert.Contains(dryRun.Reasons(2), r => r.Contains("not one of your municipalities", StringComparison.Ordinal));

        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        using (var asAdmin = await admin.GetAsync(new Uri($"/api/imports/{dryRun.Id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        }
        using var anonymous = app.Factory.CreateClient();
        using (var asAnonymous = await anonymous.GetAsync(new Uri($"/api/imports/{dryRun.Id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, asAnonymous.StatusCode);
        }
        var upload = await ImportSteps.UploadAsync(anonymous, "x.geojson", file);
        Assert.Equal(HttpStatusCode.Unauthorized, upload.Status);
    }

    [Theory]
    [InlineData("broken.zip", "PK\u0003\u0004 this is not really a zip", "zip")]
    [InlineData("notes.docx", "hello", ".geojson")]
    [InlineData("ragged.csv", "code;name;lon;lat\nIMPE-001;A;21.9;43.3\nIMPE-002;B;21.9\n", "line 3")]
    [InlineData("empty.geojson", "{\"type\":\"FeatureCollection\"", "not valid JSON")]
    public async Task A_file_that_cannot_be_read_gets_a_clear_message_and_changes_nothing(string fileName, string content, string expected)
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var imports = await ImportCountAsync();

        var answer = await ImportSteps.UploadAsync(admin, fileName, content);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Contains(expected, answer.Json.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(imports, await ImportCountAsync());
    }

    [Fact]
    public async Task A_saved_mapping_maps_unusual_column_names_and_unmapped_columns_are_listed()
    {
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "pirot", 1))[0];
        var file = ImportSteps.FeatureCollection(
            (ImportSteps.Square(spot.Lon, spot.Lat), new { ID_X = "IMPF-001", LABEL = "Mahala kod reke", OPS = "pirot", komentar = "anything" }));
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var unmapped = await ImportSteps.UploadAsync(admin, "odd.geojson", file);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unmapped.Status);
        Assert.Contains("code", unmapped.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var csrf = await Edits.CsrfTokenAsync(admin);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/import-mappings/odd-survey", UriKind.Relative))
        {
            Content = new StringContent("""{"columns": {"ID_X": "code", "LABEL": "name", "OPS": "municipality"}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-CSRF-TOKEN", csrf);
        using (var saved = await admin.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        }

        var mapped = await ImportSteps.UploadAsync(admin, "odd.geojson", file, "&mapping=odd-survey");
        Assert.Equal(HttpStatusCode.Created, mapped.Status);
        Assert.Empty(mapped.BadRows);
        Assert.Equal(1, mapped.Number("created"));
        Assert.Equal(["komentar"], mapped.Json.GetProperty("unmapped_columns").EnumerateArray().Select(c => c.GetString()!).ToArray());
    }

    [Fact]
    public async Task The_readable_report_escapes_text_from_the_file()
    {
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 1))[0];
        var file = ImportSteps.FeatureCollection(
            (ImportSteps.Square(spot.Lon - 0.004, spot.Lat), new { code = "IMPG-001", name = "X", municipality = "nis", water_supply = "<script>alert(1)</script>" }));
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var dryRun = await ImportSteps.UploadAsync(admin, "<b>bold.geojson", file);
        Assert.Equal(HttpStatusCode.Created, dryRun.Status);

        var html = await admin.GetStringAsync(new Uri($"/api/imports/{dryRun.Id}/report.html", UriKind.Relative));

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("<td>water_supply</td>", html, StringComparison.Ordinal);
    }

    private async Task<int> CountAsync(string codePrefix)
    {
        await using var db = app.CreateContext();
        return await db.Settlements.CountAsync(s => s.Code.StartsWith(codePrefix));
    }

    private async Task<int> AuditCountAsync(string codePrefix)
    {
        await using var db = app.CreateContext();
        var ids = await db.Settlements.Where(s => s.Code.StartsWith(codePrefix)).Select(s => s.Id).ToListAsync();
        return await db.SettlementChanges.CountAsync(c => ids.Contains(c.SettlementId));
    }

    private async Task<int> ImportCountAsync()
    {
        await using var db = app.CreateContext();
        return await db.Imports.CountAsync();
    }
}
