using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Import;

/// <summary>
/// The dry run's mapping is the apply's: apply uses the copy of the mapping kept with the import,
/// whatever happened to the shared mapping since (and says so); a shared mapping is changed or
/// deleted only by its author or an administrator (403 problem+json for anyone else).
/// </summary>
public sealed class MappingSnapshotTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Apply_writes_the_mapping_of_the_dry_run_and_only_its_author_or_an_administrator_changes_a_shared_mapping()
    {
        // The probe's scenario: an administrator dry-runs a Zvezdara update with the shared mapping M.
        var id = await Edits.DemoIdAsync(app, "zvezdara", 1);
        var code = (await Edits.RowAsync(app, id))!.Code;
        var file = Encoding.UTF8.GetBytes($"ID_X;VODA_A;VODA_B\n{code};bunari;vodovod\n");
        await using (var db = app.CreateContext())
        {
            await db.Settlements.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.WaterSupply, WaterSupply.None));
        }
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        using var coordinator = await Edits.ClientAsync(app, "coord-zvezdara");
        using var otherCoordinator = await Edits.ClientAsync(app, Edits.CoordinatorNis);
        Assert.Equal(HttpStatusCode.NoContent, await PutMappingAsync(admin, "zv-survey", """{"columns": {"ID_X": "code", "VODA_A": "water_supply"}}"""));

        var dryRun = await ImportSteps.UploadAsync(admin, "zvezdara.csv", file, "&mapping=zv-survey");
        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Empty(dryRun.BadRows);
        Assert.Equal(1, dryRun.Number("updated"));

        // A coordinator may neither change nor delete the administrator's mapping…
        var changeAttempt = await SendMappingAsync(coordinator, HttpMethod.Put, "zv-survey", """{"columns": {"ID_X": "code", "VODA_B": "water_supply"}}""");
        Assert.Equal(HttpStatusCode.Forbidden, changeAttempt.Status);
        Assert.Equal("application/problem+json", changeAttempt.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendMappingAsync(coordinator, HttpMethod.Delete, "zv-survey", null)).Status);

        // …and even the administrator's own change after the dry run does not reach this apply.
        Assert.Equal(HttpStatusCode.NoContent, await PutMappingAsync(admin, "zv-survey", """{"columns": {"ID_X": "code", "VODA_B": "water_supply"}}"""));
        var applied = await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: false);

        Assert.True(applied.Json.GetProperty("applied").GetBoolean());
        Assert.Equal(WaterSupply.Wells, (await Edits.RowAsync(app, id))!.WaterSupply);
        Assert.Equal("water_supply", applied.Json.GetProperty("mapping").GetProperty("VODA_A").GetString());
        Assert.Contains(applied.Json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!),
            n => n.Contains("mapping of the dry run", StringComparison.Ordinal) && n.Contains("zv-survey", StringComparison.Ordinal)
                 && n.Contains("changed", StringComparison.Ordinal));

        // A coordinator's own mapping: theirs to change and delete, an administrator's too, not another coordinator's.
        Assert.Equal(HttpStatusCode.NoContent, await PutMappingAsync(coordinator, "zv-own", """{"columns": {"ID_X": "code"}}"""));
        Assert.Equal(HttpStatusCode.NoContent, await PutMappingAsync(coordinator, "zv-own", """{"columns": {"ID_X": "code", "VODA_A": "water_supply"}}"""));
        Assert.Equal(HttpStatusCode.Forbidden, await PutMappingAsync(otherCoordinator, "zv-own", """{"columns": {"ID_X": "code"}}"""));
        Assert.Equal(HttpStatusCode.Forbidden, (await SendMappingAsync(otherCoordinator, HttpMethod.Delete, "zv-own", null)).Status);
        Assert.Equal(HttpStatusCode.NoContent, await PutMappingAsync(admin, "zv-own", """{"columns": {"ID_X": "code", "VODA_B": "water_supply"}}"""));
        Assert.Equal(HttpStatusCode.NoContent, (await SendMappingAsync(coordinator, HttpMethod.Delete, "zv-own", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendMappingAsync(coordinator, HttpMethod.Delete, "zv-own", null)).Status);
    }

    private static async Task<HttpStatusCode> PutMappingAsync(HttpClient client, string name, string json) =>
        (await SendMappingAsync(client, HttpMethod.Put, name, json)).Status;

    private static async Task<(HttpStatusCode Status, string? MediaType)> SendMappingAsync(HttpClient client, HttpMethod method, string name, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri($"/api/import-mappings/{name}", UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
    }
}
