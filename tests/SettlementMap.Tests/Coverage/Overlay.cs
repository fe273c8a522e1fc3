using System.Globalization;
using System.Net;
using System.Text.Json;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Coverage;

/// <summary>One row of /api/coverage/figures, without its kind and district (those select it).</summary>
public sealed record Figure(int SettlementsCovered, int SettlementsNotCovered, long PopulationCovered, long PopulationNotCovered,
    int MunicipalitiesCovered, int MunicipalitiesNotCovered);

/// <summary>A coverage record as an independent (in-memory) check sees it.</summary>
public sealed record CoverageRow(string MunicipalityCode, string KindKey, int? Count, DateOnly? ValidFrom, DateOnly? ValidTo);

/// <summary>The steps the coverage, figures and report tests share.</summary>
public static class Overlay
{
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>GET a URL: its status and JSON body (Undefined when empty).</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text));
    }

    /// <summary>GET a URL that must answer 200; the JSON body.</summary>
    public static async Task<JsonElement> GetOkAsync(HttpClient client, string url)
    {
        var (status, body) = await GetAsync(client, url);
        Assert.True(status == HttpStatusCode.OK, $"GET {url} answered {(int)status}: {body}");
        return body;
    }

    /// <summary>The coverage layer as of a day, checked as RFC 7946, keyed by municipality code.</summary>
    public static async Task<Dictionary<string, JsonElement>> LayerAsync(HttpClient client, string asOf)
    {
        using var response = await client.GetAsync(new Uri($"/api/layers/coverage?as_of={asOf}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var root = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        var properties = GeoJsonAssert.FeatureCollection(root).Select(f => f.GetProperty("properties")).ToList();
        var byCode = properties.ToDictionary(p => p.GetProperty("code").GetString()!, StringComparer.Ordinal);
        Assert.Equal(properties.Count, byCode.Count);
        return byCode;
    }

    /// <summary>The coverage object of a layer feature: kind key → summed count (null when unknown).</summary>
    public static Dictionary<string, int?> CoverageOf(JsonElement properties) =>
        properties.GetProperty("coverage").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? (int?)null : p.Value.GetInt32(), StringComparer.Ordinal);

    public static List<string> GapMissing(JsonElement properties) =>
        [.. properties.GetProperty("gap_missing").EnumerateArray().Select(e => e.GetString()!)];

    public static Task<JsonElement> FiguresAsync(HttpClient client, string asOf) => GetOkAsync(client, $"/api/coverage/figures?as_of={asOf}");

    /// <summary>The figure of a kind nationally (district null) or in one district; fails when there is none.</summary>
    public static Figure FigureOf(JsonElement figures, string kind, string? district = null)
    {
        var rows = figures.GetProperty(district is null ? "national" : "districts").EnumerateArray()
            .Where(r => r.GetProperty("kind").GetString() == kind && r.GetProperty("district_code").GetString() == district).ToList();
        Assert.True(rows.Count == 1, $"one figure of {kind} in {district ?? "the country"}; found {rows.Count}");
        var r = rows[0];
        return new Figure(r.GetProperty("settlements_covered").GetInt32(), r.GetProperty("settlements_not_covered").GetInt32(),
            r.GetProperty("population_covered").GetInt64(), r.GetProperty("population_not_covered").GetInt64(),
            r.GetProperty("municipalities_covered").GetInt32(), r.GetProperty("municipalities_not_covered").GetInt32());
    }

    /// <summary>The parameters or fields a 400 validation problem names.</summary>
    public static List<string> ErrorKeys(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateObject().Select(p => p.Name)] : [];

    /// <summary>Asserts a 400 that names the parameter or field (in errors, or in the detail for an unknown JSON member).</summary>
    public static void AssertBadRequestNaming(HttpStatusCode status, JsonElement problem, string name)
    {
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var named = ErrorKeys(problem).Contains(name)
            || (problem.TryGetProperty("detail", out var detail)
                && (detail.GetString()!.Contains($"'{name}'", StringComparison.Ordinal) || detail.GetString()!.Contains($"$.{name}", StringComparison.Ordinal)));
        Assert.True(named, $"the 400 names '{name}': {problem}");
    }

    /// <summary>The kind key the layer and figures use: the enum in snake_case, or programme:&lt;code&gt;.</summary>
    public static string KindKey(CoverageKind kind, string? programmeCode) =>
        kind == CoverageKind.Programme ? "programme:" + programmeCode : EnumText.ToText(kind);

    /// <summary>The rule, written again here: the day lies in the period (both ends inclusive, open ends unbounded) and the count, where known, is above zero.</summary>
    public static bool ActiveOn(this CoverageRow c, DateOnly day) =>
        (c.ValidFrom is null || c.ValidFrom <= day) && (c.ValidTo is null || c.ValidTo >= day) && (c.Count is null || c.Count > 0);

    /// <summary>What the layer's coverage object should be: per kind key the summed known counts, null when no count is known.</summary>
    public static Dictionary<string, int?> Expected(IEnumerable<CoverageRow> active) =>
        active.GroupBy(c => c.KindKey).ToDictionary(g => g.Key, g => g.All(c => c.Count is null) ? null : g.Sum(c => c.Count), StringComparer.Ordinal);

    /// <summary>The lower middle value for an even count, as the report defines its median.</summary>
    public static int? LowerMedian(IEnumerable<int> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? null : sorted[(sorted.Count - 1) / 2];
    }

    /// <summary>A coverage record body as the API takes it (snake_case; nulls included).</summary>
    public static string RecordJson(string? municipality, string? kind, int? count, string? validFrom, string? validTo,
        string? source = "test", string? programmeCode = null, string? note = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["municipality_code"] = municipality,
            ["kind"] = kind,
            ["programme_code"] = programmeCode,
            ["count"] = count,
            ["valid_from"] = validFrom,
            ["valid_to"] = validTo,
            ["source"] = source,
            ["note"] = note,
        });
}
