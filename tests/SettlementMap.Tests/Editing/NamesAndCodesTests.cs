using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Import;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Editing;

/// <summary>
/// The Latin/Cyrillic pair follows the same rule in the API and the importer (a name given in one
/// script only brings the other with it), and a code that is taken is a 409 naming code, never a
/// 500, also when two requests race for it.
/// </summary>
public sealed class NamesAndCodesTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("name_cyrl", "Нова Ћуприја", "Nova Ćuprija", "Нова Ћуприја")]
    [InlineData("name_latn", "Nova Ljubičevska", "Nova Ljubičevska", "Нова Љубичевска")]
    public async Task A_patch_of_one_script_brings_the_other_with_it(string field, string value, string latin, string cyrillic)
    {
        var id = await DemoIdAsync(app, "nis", field == "name_cyrl" ? 5 : 6);
        using var admin = await ClientAsync(app, Admin);
        var before = await GetAsync(admin, id);

        using var response = await PatchAsync(admin, id, Properties(field, value), before.ETag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = (await RowAsync(app, id))!;
        Assert.Equal(latin, row.NameLatn);
        Assert.Equal(cyrillic, row.NameCyrl);
    }

    [Fact]
    public async Task A_patch_of_both_scripts_keeps_both_as_given()
    {
        var id = await DemoIdAsync(app, "nis", 7);
        using var admin = await ClientAsync(app, Admin);
        var before = await GetAsync(admin, id);

        using var response = await PatchAsync(admin, id, """{"properties": {"name_latn": "Stara mahala", "name_cyrl": "Стара махала код пруге"}}""", before.ETag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = (await RowAsync(app, id))!;
        Assert.Equal("Stara mahala", row.NameLatn);
        Assert.Equal("Стара махала код пруге", row.NameCyrl);
    }

    [Theory]
    [InlineData("geojson")]
    [InlineData("csv")]
    public async Task An_import_that_renames_in_Cyrillic_renames_in_Latin_too(string format)
    {
        var id = await DemoIdAsync(app, "nis", format == "csv" ? 8 : 9);
        var code = (await RowAsync(app, id))!.Code;
        var cyrillic = format == "csv" ? "Горња Ћеле махала" : "Доња Џамија";
        var file = format == "csv"
            ? Encoding.UTF8.GetBytes($"sifra;naziv\n{code};{cyrillic}\n")
            : Encoding.UTF8.GetBytes(ImportSteps.FeatureCollection((null, new { sifra = code, naziv = cyrillic })));
        using var admin = await ClientAsync(app, Admin);

        var dryRun = await ImportSteps.UploadAsync(admin, $"rename.{format}", file);
        Assert.Empty(dryRun.BadRows);
        Assert.Equal(1, dryRun.Number("updated"));
        Assert.True((await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: false)).Json.GetProperty("applied").GetBoolean());

        var row = (await RowAsync(app, id))!;
        Assert.Equal(cyrillic, row.NameCyrl);
        Assert.Equal(Web.Text.SerbianScript.ToLatin(cyrillic), row.NameLatn);
    }

    [Fact]
    public async Task A_new_settlement_with_a_code_that_exists_is_a_409_naming_code()
    {
        var taken = (await RowAsync(app, await DemoIdAsync(app, "nis", 1)))!.Code;
        var square = await SquareInsideAsync(app, "nis");
        using var admin = await ClientAsync(app, Admin);
        var before = await ChangeCountAsync(app);

        using var response = await Edits.CreateAsync(admin, WithGeometry(square, new Dictionary<string, object?> { ["name_latn"] = "Dupla", ["code"] = taken }));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await BodyAsync(response);
        Assert.Contains(taken, problem.GetProperty("errors").GetProperty("code")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("code.taken", problem.GetProperty("rules").GetProperty("code")[0].GetString());
        Assert.Equal(before, await ChangeCountAsync(app));
    }

    [Fact]
    public async Task A_patch_to_a_code_that_exists_is_a_409_naming_code()
    {
        var taken = (await RowAsync(app, await DemoIdAsync(app, "nis", 2)))!.Code;
        var id = await DemoIdAsync(app, "nis", 3);
        using var admin = await ClientAsync(app, Admin);
        var before = await GetAsync(admin, id);

        using var response = await PatchAsync(admin, id, Properties("code", taken), before.ETag);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("code.taken", (await BodyAsync(response)).GetProperty("rules").GetProperty("code")[0].GetString());
    }

    [Fact]
    public async Task Requests_racing_for_one_new_code_get_one_201_and_409s_never_a_500()
    {
        const int Racers = 8;
        using var admin = await ClientAsync(app, Admin);
        for (var round = 0; round < 3; round++)
        {
            var code = Invariant($"RACE-{round:000}");
            // Outlines at free spots (clear of every settlement, earlier winners included), so only the code collides.
            var squares = new List<Polygon>();
            for (var i = 0; i < Racers; i++)
            {
                squares.Add(await SquareInsideAsync(app, i % 2 == 0 ? "nis" : "leskovac"));
            }
            var answers = await Task.WhenAll(squares.Select(async (square, i) =>
            {
                using var response = await Edits.CreateAsync(admin, WithGeometry(square, new Dictionary<string, object?>
                {
                    ["name_latn"] = Invariant($"Trka {round} {i}"), ["code"] = code,
                }));
                return response.StatusCode;
            }));

            Assert.Equal(1, answers.Count(a => a == HttpStatusCode.Created));
            Assert.All(answers.Where(a => a != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a));
            await using var db = app.CreateContext();
            Assert.Equal(1, await db.Settlements.CountAsync(s => s.Code == code));
        }
    }
}
