using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SettlementMap.Tests.Import;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Http;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Editing;

/// <summary>
/// One set of rules for the editing API and the importer: the same bad names, outlines and codes,
/// sent as a new settlement through POST /api/settlements and as a row of a GeoJSON and of a CSV
/// import, are refused by both with the same rule key (problem+json "rules" by field; the import
/// report's problem "rule"), and nothing is written.
/// </summary>
public sealed class SharedRulesTests(AppFixture app) : IClassFixture<AppFixture>
{
    /// <summary>How a case's outline is made from a free spot in Niš.</summary>
    public enum Outline { Square, BowTie, ExistingSettlement, OutsideSerbia, WithHeights }

    /// <summary>One bad value: the field the rule names and the rule key both paths must give.</summary>
    public sealed record BadValue(string Label, string Field, string Rule, string Name = "Proba mahala", string? Code = null,
        Outline Outline = Outline.Square, string Municipality = "nis");

    private static readonly BadValue[] Cases =
    [
        new("only zero-width spaces", "name_latn", "text.invisible_character", Name: "\u200B\u200B\u200B"),
        new("a bell control character", "name_latn", "text.control_character", Name: "Mahala\u0007"),
        new("a tab inside", "name_latn", "text.control_character", Name: "Nova\tmahala"),
        new("a right-to-left override", "name_latn", "text.invisible_character", Name: "\u202Ealaham"),
        new("a soft hyphen", "name_latn", "text.invisible_character", Name: "Ma\u00ADhala"),
        new("a zero-width joiner outside a word", "name_latn", "text.invisible_character", Name: "\u200DMahala"),
        new("no letter", "name_latn", "name.no_letter", Name: "..."),
        new("only white space", "name_latn", "required", Name: "   "),
        new("201 characters", "name_latn", "text.too_long", Name: new string('a', 201)),
        new("a code too short", "code", "code.format", Code: "ab"),
        new("a code with a control character", "code", "text.control_character", Code: "AB\u0007C"),
        new("a self-crossing outline", "geometry", "outline.invalid", Outline: Outline.BowTie),
        new("exactly another settlement's outline", "geometry", "outline.overlaps", Outline: Outline.ExistingSettlement),
        new("an outline with heights (3D)", "geometry", "outline.invalid", Outline: Outline.WithHeights),
        new("an outline outside Serbia", "geometry", "outline.outside_serbia", Outline: Outline.OutsideSerbia),
        new("an outline in another municipality than named", "geometry", "outline.outside_municipality", Municipality: "leskovac"),
    ];

    public static TheoryData<string> CaseLabels()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases)
        {
            data.Add(c.Label);
        }
        return data;
    }

    private static readonly WKTWriter Wkt = new(3);

    [Theory]
    [MemberData(nameof(CaseLabels))]
    public async Task The_API_and_a_GeoJSON_and_a_CSV_import_refuse_the_same_value_by_the_same_rule(string label)
    {
        var c = Cases.Single(x => x.Label == label);
        var outline = await OutlineAsync(c.Outline);
        var code = c.Code ?? Invariant($"RULE-{Array.IndexOf(Cases, c):00}");
        var settlementsBefore = await SettlementCountAsync();
        using var admin = await ClientAsync(app, Admin);

        using var response = await Edits.CreateAsync(admin, WithGeometry(outline, new Dictionary<string, object?>
        {
            ["name_latn"] = c.Name, ["code"] = code, ["municipality_code"] = c.Municipality,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await BodyAsync(response);
        Assert.True(problem.GetProperty("rules").TryGetProperty(c.Field, out var apiRules), $"the API names {c.Field}: {problem}");
        Assert.Contains(c.Rule, apiRules.EnumerateArray().Select(r => r.GetString()));

        var geoJson = JsonSerializer.Serialize(new
        {
            type = "FeatureCollection",
            features = new[]
            {
                new
                {
                    type = "Feature",
                    geometry = JsonSerializer.SerializeToElement(outline, GeoJson.ApiOptions),
                    properties = new Dictionary<string, string> { ["sifra"] = code, ["naziv"] = c.Name, ["opstina"] = c.Municipality },
                },
            },
        });
        AssertImportRefuses(await ImportSteps.UploadAsync(admin, "rules.geojson", geoJson), c);

        var csv = $"sifra;naziv;opstina;wkt\n{code};\"{c.Name}\";{c.Municipality};\"{Wkt.Write(outline)}\"\n";
        AssertImportRefuses(await ImportSteps.UploadAsync(admin, "rules.csv", Encoding.UTF8.GetBytes(csv)), c);

        Assert.Equal(settlementsBefore, await SettlementCountAsync());
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_name_is_a_row_problem_of_the_import_not_a_crash()
    {
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 1))[0];
        var geoJson = ImportSteps.FeatureCollection(
            (ImportSteps.Square(spot.Lon, spot.Lat), new { sifra = "RULE-SURROGATE", naziv = "BROKEN", opstina = "nis" }))
            .Replace("BROKEN", "Mahala \\ud800", StringComparison.Ordinal);
        using var admin = await ClientAsync(app, Admin);

        var dryRun = await ImportSteps.UploadAsync(admin, "surrogate.geojson", geoJson);

        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        var problem = Assert.Single(dryRun.Json.GetProperty("problems").EnumerateArray());
        Assert.Equal("text.lone_surrogate", problem.GetProperty("rule").GetString());
        Assert.Equal("name_latn", problem.GetProperty("field").GetString());
        Assert.Contains("\uFFFD", problem.GetProperty("value").GetString(), StringComparison.Ordinal);

        // The API refuses it too (400 problem+json, never a 500).
        var square = Square(new Coordinate(spot.Lon, spot.Lat), 150);
        var body = WithGeometry(square, new Dictionary<string, object?> { ["name_latn"] = "BROKEN" }).Replace("BROKEN", "Mahala \\ud800", StringComparison.Ordinal);
        using (var response = await Edits.CreateAsync(admin, body))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // What the CLI (dotnet … import FILE) runs: the same runner on the file.
        var folder = Directory.CreateTempSubdirectory("surrogate-");
        var path = Path.Combine(folder.FullName, "surrogate.geojson");
        await File.WriteAllTextAsync(path, geoJson);
        await using var db = app.CreateContext();
        var report = await new Web.Features.Import.ImportRunner(db, TimeProvider.System).RunAsync(
            path, "surrogate.geojson", new Web.Features.Import.ImportOptions(new(), null, null, false, false),
            new Web.Features.Import.ImportActor("system", null), Guid.NewGuid(), apply: true, null, default);
        Assert.False(report.Applied);
        Assert.Equal("text.lone_surrogate", Assert.Single(report.Problems).Rule);
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task NUL_bytes_in_a_CSV_are_row_problems_in_a_stored_report_not_a_failure()
    {
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 1))[0];
        var wkt = new WKTWriter().Write(Square(new Coordinate(spot.Lon, spot.Lat), 150));
        var csv = $"sifra;naziv;opstina;broj_stanovnika;wkt\nRULE-NUL;Mahala\0;nis;12\0;\"{wkt}\"\n";
        using var admin = await ClientAsync(app, Admin);

        var dryRun = await ImportSteps.UploadAsync(admin, "nul.csv", Encoding.UTF8.GetBytes(csv));

        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Equal([1L], dryRun.BadRows);
        var problems = dryRun.Json.GetProperty("problems").EnumerateArray().ToList();
        Assert.Contains(problems, p => p.GetProperty("field").GetString() == "name_latn" && p.GetProperty("rule").GetString() == "text.control_character");
        Assert.Contains(problems, p => p.GetProperty("field").GetString() == "estimated_inhabitants");
        Assert.All(problems, p => Assert.DoesNotContain("\0", p.GetProperty("value").GetString() ?? "", StringComparison.Ordinal));
        using var stored = await admin.GetAsync(new Uri($"/api/imports/{dryRun.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
    }

    [Fact]
    public async Task A_decomposed_name_is_stored_composed_by_both_paths()
    {
        var spots = await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 2);
        const string Decomposed = "C\u0301ele mahala";
        using var admin = await ClientAsync(app, Admin);

        using var created = await Edits.CreateAsync(admin, WithGeometry(
            Square(new Coordinate(spots[0].Lon, spots[0].Lat), 150), new Dictionary<string, object?> { ["name_latn"] = Decomposed, ["code"] = "RULE-NFC-1" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var imported = await ImportSteps.UploadAsync(admin, "nfc.geojson", ImportSteps.FeatureCollection(
            (ImportSteps.Square(spots[1].Lon, spots[1].Lat), new { sifra = "RULE-NFC-2", naziv = Decomposed, opstina = "nis" })));
        Assert.Empty(imported.BadRows);
        Assert.True((await ImportSteps.ApplyAsync(admin, imported.Id, skipBadRows: false)).Json.GetProperty("applied").GetBoolean());

        await using var db = app.CreateContext();
        var names = await db.Settlements.Where(s => s.Code.StartsWith("RULE-NFC-")).OrderBy(s => s.Code).Select(s => new { s.NameLatn, s.NameCyrl }).ToListAsync();
        Assert.All(names, n => Assert.Equal("Ćele mahala", n.NameLatn));
        Assert.All(names, n => Assert.Equal("Ћеле махала", n.NameCyrl));
    }

    private static void AssertImportRefuses(ImportAnswer dryRun, BadValue c)
    {
        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Equal([1L], dryRun.BadRows);
        var rules = dryRun.Json.GetProperty("problems").EnumerateArray()
            .Where(p => p.GetProperty("field").GetString() == c.Field)
            .Select(p => p.TryGetProperty("rule", out var rule) ? rule.GetString() : null)
            .ToList();
        Assert.True(rules.Contains(c.Rule), $"the import names {c.Field} by {c.Rule}: {dryRun.Json.GetProperty("problems")}");
        Assert.Equal(0, dryRun.Number("created"));
    }

    private async Task<Geometry> OutlineAsync(Outline kind)
    {
        if (kind == Outline.ExistingSettlement)
        {
            await using var db = app.CreateContext();
            return await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).Select(s => (Geometry)s.Geom).FirstAsync();
        }
        if (kind == Outline.OutsideSerbia)
        {
            return Square(new Coordinate(10.5, 45.0), 150);
        }
        var spot = (await ImportSteps.FreeSpotsAsync(app.ConnectionString, "nis", 1))[0];
        if (kind == Outline.WithHeights)
        {
            var square = Square(new Coordinate(spot.Lon, spot.Lat), 150);
            return square.Factory.CreatePolygon([.. square.Coordinates.Select(c => new CoordinateZ(c.X, c.Y, 210))]);
        }
        if (kind == Outline.BowTie)
        {
            var d = 0.001;
            return NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326).CreatePolygon(
            [
                new(spot.Lon - d, spot.Lat - d), new(spot.Lon + d, spot.Lat + d), new(spot.Lon + d, spot.Lat - d), new(spot.Lon - d, spot.Lat + d), new(spot.Lon - d, spot.Lat - d),
            ]);
        }
        return Square(new Coordinate(spot.Lon, spot.Lat), 150);
    }

    private async Task<int> SettlementCountAsync()
    {
        await using var db = app.CreateContext();
        return await db.Settlements.CountAsync();
    }
}
