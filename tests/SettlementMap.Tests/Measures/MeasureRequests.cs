using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Measures;

/// <summary>An answer of the measures API: status, ETag and body (Undefined when there is none).</summary>
public sealed record Answer(HttpStatusCode Status, string? ETag, JsonElement Body)
{
    /// <summary>The fields a problem's errors name.</summary>
    public IReadOnlyList<string> Fields =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateObject().Select(e => e.Name)] : [];

    public long Id => Body.GetProperty("id").GetInt64();
}

/// <summary>The steps the measures tests share: requests with their ETag, the demo's plans and settlements, audit counts.</summary>
public static class MeasureRequests
{
    public static async Task<Answer> RequestAsync(HttpClient client, HttpMethod method, string url, object? body = null, string? ifMatch = null, string? csrfToken = null)
    {
        var text = body switch
        {
            null => null,
            string raw => raw,
            _ => JsonSerializer.Serialize(body),
        };
        using var response = await Editing.Edits.SendAsync(client, method, url, text, ifMatch, csrfToken: csrfToken);
        return new Answer(response.StatusCode, response.Headers.ETag?.Tag, await BodyAsync(response));
    }

    public static Task<Answer> ReadAsync(HttpClient client, string url) => RequestAsync(client, HttpMethod.Get, url);

    public static Task<Answer> CreateMeasureAsync(HttpClient client, object body) => RequestAsync(client, HttpMethod.Post, "/api/measures", body);

    public static Task<Answer> PatchMeasureAsync(HttpClient client, long id, object body, string? ifMatch) =>
        RequestAsync(client, HttpMethod.Patch, $"/api/measures/{id}", body, ifMatch);

    public static Task<Answer> DeleteMeasureAsync(HttpClient client, long id, string? ifMatch) =>
        RequestAsync(client, HttpMethod.Delete, $"/api/measures/{id}", null, ifMatch);

    /// <summary>The id of the demo's (latest) plan of a municipality.</summary>
    public static async Task<int> PlanOfAsync(AppFixture app, string municipality)
    {
        await using var db = app.CreateContext();
        return await db.ActionPlans.Where(p => p.Municipality!.Code == municipality).OrderByDescending(p => p.PeriodStart).Select(p => p.Id).FirstAsync();
    }

    /// <summary>Codes of the first settlements of a municipality.</summary>
    public static async Task<List<string>> SettlementsOfAsync(AppFixture app, string municipality, int count)
    {
        await using var db = app.CreateContext();
        return await db.Settlements.Where(s => s.Municipality!.Code == municipality).OrderBy(s => s.Code).Select(s => s.Code).Take(count).ToListAsync();
    }

    public static async Task<int> ChangeCountAsync(AppFixture app, long measureId)
    {
        await using var db = app.CreateContext();
        return await db.MeasureChanges.CountAsync(c => c.MeasureId == measureId);
    }

    /// <summary>A valid new measure of a plan: water network extension for the settlements, funded by ROMACTED.</summary>
    public static Dictionary<string, object?> WaterMeasure(int planId, IEnumerable<string> settlements) => new()
    {
        ["action_plan_id"] = planId,
        ["priority_area"] = "housing",
        ["title_latn"] = "Proširenje vodovodne mreže",
        ["title_en"] = "Water network extension",
        ["settlement_codes"] = settlements.ToArray(),
        ["target_attribute"] = "water_supply",
        ["target_value"] = "network",
        ["responsible_body"] = "Gradska uprava",
        ["funding_source"] = "programme",
        ["programme_code"] = "romacted",
        ["budget"] = new Dictionary<string, object?> { ["currency"] = "RSD", ["amount"] = 12_500_000.5m, ["spent"] = 0 },
        ["indicators"] = new[] { new Dictionary<string, object?> { ["name"] = "Priključena domaćinstva", ["unit"] = "domaćinstva", ["target"] = 40, ["achieved"] = 0 } },
    };
}
