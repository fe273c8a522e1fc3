using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using static SettlementMap.Tests.Editing.Edits;
using static SettlementMap.Tests.Measures.MeasureRequests;

namespace SettlementMap.Tests.Ogc;

/// <summary>
/// The measures collection of the OGC API (issue 26): items against the database, the filters a planner uses, paging,
/// bbox and crs, each item's geometry (its settlements' outlines or its municipality's), and who sees what.
/// </summary>
public sealed class OgcMeasuresTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default, response);
    }

    private async Task<JsonElement> ItemsAsync(string query, HttpClient? client = null)
    {
        using var anonymous = app.Factory.CreateClient();
        var (status, body, _) = await GetAsync(client ?? anonymous, "/ogc/collections/measures/items?limit=10000&" + query);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private static List<long> Ids(JsonElement page) => [.. page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64())];

    private static IEnumerable<(double X, double Y)> Points(JsonElement geometry) =>
        geometry.GetProperty("coordinates").EnumerateArray().SelectMany(polygon => polygon.EnumerateArray())
            .SelectMany(ring => ring.EnumerateArray()).Select(p => (p[0].GetDouble(), p[1].GetDouble()));

    [Fact]
    public async Task Items_match_the_database_and_filter_by_status_area_municipality_and_programme()
    {
        await using var db = app.CreateContext();
        var all = await db.Measures.OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
        Assert.NotEmpty(all);
        var page = await ItemsAsync("");
        Assert.Equal(all.Count, page.GetProperty("numberMatched").GetInt32());
        Assert.Equal(all, Ids(page).Order());
        Assert.All(page.GetProperty("features").EnumerateArray(), f => Assert.Equal("MultiPolygon", f.GetProperty("geometry").GetProperty("type").GetString()));

        var done = await db.Measures.Where(m => m.Status == MeasureStatus.Done).Select(m => m.Id).OrderBy(id => id).ToListAsync();
        Assert.InRange(done.Count, 1, all.Count - 1);
        Assert.Equal(done, Ids(await ItemsAsync("filter=" + Uri.EscapeDataString("status = 'done'"))).Order());
        Assert.Equal(done, Ids(await ItemsAsync("status=done")).Order());

        var nisHousing = await db.Measures.Where(m => m.ActionPlan!.Municipality!.Code == "nis" && m.PriorityArea == PriorityArea.Housing)
            .Select(m => m.Id).OrderBy(id => id).ToListAsync();
        Assert.NotEmpty(nisHousing);
        Assert.Equal(nisHousing, Ids(await ItemsAsync("filter=" + Uri.EscapeDataString("municipality_code = 'nis' AND priority_area = 'housing'"))).Order());

        var programme = await db.Measures.Where(m => m.Programme != null).Select(m => m.Programme!.Code).FirstAsync();
        var funded = await db.Measures.Where(m => m.Programme!.Code == programme).Select(m => m.Id).OrderBy(id => id).ToListAsync();
        Assert.InRange(funded.Count, 1, all.Count - 1);
        Assert.Equal(funded, Ids(await ItemsAsync("filter=" + Uri.EscapeDataString($"programme_code = '{programme}' OR status IN ('none')"))).Order());

        // A name that is no queryable, and a value outside the closed list's type, are the client's errors.
        using var client = app.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(client, "/ogc/collections/measures/items?filter=" + Uri.EscapeDataString("budget > 5"))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(client, "/ogc/collections/measures/items?filter=" + Uri.EscapeDataString("done_on > 'x'"))).Status);
    }

    [Fact]
    public async Task Queryables_describe_the_closed_lists_and_the_collection_offers_bbox_crs_and_paging()
    {
        using var client = app.Factory.CreateClient();
        var (status, queryables, _) = await GetAsync(client, "/ogc/collections/measures/queryables");
        Assert.Equal(HttpStatusCode.OK, status);
        var properties = queryables.GetProperty("properties");
        foreach (var name in new[] { "status", "priority_area", "municipality_code", "programme_code", "funding_source", "geometry" })
        {
            Assert.True(properties.TryGetProperty(name, out _), name);
        }
        Assert.Contains("\"in_progress\"", properties.GetProperty("status").GetRawText(), StringComparison.Ordinal);
        Assert.Contains("у току", properties.GetProperty("status").GetRawText(), StringComparison.Ordinal);

        var all = (await ItemsAsync("")).GetProperty("numberMatched").GetInt32();
        Assert.Equal(all, (await ItemsAsync("bbox=18,41,23.1,46.3")).GetProperty("numberMatched").GetInt32());
        Assert.Equal(0, (await ItemsAsync("bbox=0,0,1,1")).GetProperty("numberMatched").GetInt32());
        var nis = await ItemsAsync("bbox=21.85,43.28,21.95,43.35");
        Assert.InRange(nis.GetProperty("numberMatched").GetInt32(), 1, all - 1);

        var (crsStatus, projected, response) = await GetAsync(client, "/ogc/collections/measures/items?limit=2&crs=" + Uri.EscapeDataString("http://www.opengis.net/def/crs/EPSG/0/3909"));
        Assert.Equal(HttpStatusCode.OK, crsStatus);
        Assert.Contains("3909", string.Join(" ", response.Headers.GetValues("Content-Crs")), StringComparison.Ordinal);
        // Metres of the Balkans zone 7 (northing first in EPSG's axis order), not degrees.
        var first = Points(projected.GetProperty("features")[0].GetProperty("geometry")).First();
        Assert.InRange(Math.Min(first.X, first.Y), 4_500_000, 8_000_000);

        var seen = new List<long>();
        string? path = "/ogc/collections/measures/items?limit=7";
        while (path is not null)
        {
            var (pageStatus, page, _) = await GetAsync(client, path);
            Assert.Equal(HttpStatusCode.OK, pageStatus);
            seen.AddRange(Ids(page));
            path = page.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == "next")
                .Select(l => new Uri(l.GetProperty("href").GetString()!).PathAndQuery).FirstOrDefault();
        }
        Assert.Equal(all, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    /// <summary>
    /// A measure naming settlements is their outlines (for a viewer who may see them), one naming none its municipality's;
    /// budgets and a hidden target are absent for the public, as in GET /api/measures.
    /// </summary>
    [Fact]
    public async Task Geometry_is_the_settlements_or_the_municipality_and_properties_follow_who_sees_what()
    {
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        using var admin = await ClientAsync(app, Admin);
        await using var db = app.CreateContext();
        // A small settlement (the public view generalises it) of a municipality with a plan.
        var small = await db.Settlements.Where(s => (s.EstimatedInhabitants == null || s.EstimatedInhabitants < 100) && db.ActionPlans.Any(p => p.MunicipalityId == s.MunicipalityId))
            .OrderBy(s => s.Code).Select(s => new { s.Code, s.Geom, Municipality = s.Municipality!.Code }).FirstAsync();
        var named = WaterMeasure(await PlanOfAsync(app, small.Municipality), [small.Code]);
        (named["target_attribute"], named["target_value"]) = ("legal_status", "legalised");
        var withSettlement = await CreateMeasureAsync(admin, named);
        Assert.Equal(HttpStatusCode.Created, withSettlement.Status);
        var withNone = await CreateMeasureAsync(coordinator, WaterMeasure(await PlanOfAsync(app, "nis"), []));
        Assert.Equal(HttpStatusCode.Created, withNone.Status);

        var outline = small.Geom.Coordinates.Select(c => (Math.Round(c.X, 6), Math.Round(c.Y, 6))).ToHashSet();
        static HashSet<(double, double)> Rounded(JsonElement feature) =>
            Points(feature.GetProperty("geometry")).Select(p => (Math.Round(p.X, 6), Math.Round(p.Y, 6))).ToHashSet();

        var (_, full, _) = await GetAsync(admin, $"/ogc/collections/measures/items/{withSettlement.Id}");
        Assert.True(outline.SetEquals(Rounded(full)));
        Assert.Equal("legalised", full.GetProperty("properties").GetProperty("target_value").GetString());
        Assert.Equal(12_500_000.5m, full.GetProperty("properties").GetProperty("budget").GetProperty("amount").GetDecimal());
        Assert.Equal([small.Code], full.GetProperty("properties").GetProperty("settlement_codes").EnumerateArray().Select(c => c.GetString()));

        // The public view generalises a small settlement: a circle around its displaced point, none of the outline's vertices.
        using var anonymous = app.Factory.CreateClient();
        var (_, generalised, _) = await GetAsync(anonymous, $"/ogc/collections/measures/items/{withSettlement.Id}");
        Assert.Empty(Rounded(generalised).Intersect(outline));
        var properties = generalised.GetProperty("properties");
        Assert.False(properties.TryGetProperty("budget", out _));
        Assert.False(properties.TryGetProperty("target_attribute", out _));
        Assert.DoesNotContain("legal", generalised.GetRawText(), StringComparison.Ordinal);
        var listed = (await ItemsAsync("filter=" + Uri.EscapeDataString("municipality_code = 'nis'"))).GetProperty("features").EnumerateArray();
        Assert.All(listed, f => Assert.False(f.GetProperty("properties").TryGetProperty("budget", out _)));

        var municipality = await db.Municipalities.Where(m => m.Code == "nis").Select(m => m.Geom).FirstAsync();
        var (_, none, _) = await GetAsync(anonymous, $"/ogc/collections/measures/items/{withNone.Id}");
        var expected = municipality.Coordinates.Select(c => (Math.Round(c.X, 6), Math.Round(c.Y, 6))).ToHashSet();
        Assert.True(expected.SetEquals(Rounded(none)));
        Assert.Equal("water_supply", none.GetProperty("properties").GetProperty("target_attribute").GetString());
        Assert.Equal(0, none.GetProperty("properties").GetProperty("settlement_codes").GetArrayLength());
        Assert.Equal(40, none.GetProperty("properties").GetProperty("indicators")[0].GetProperty("target").GetDecimal());

        await DeleteMeasureAsync(admin, withSettlement.Id, (await ReadAsync(admin, $"/api/measures/{withSettlement.Id}")).ETag);
        await DeleteMeasureAsync(coordinator, withNone.Id, (await ReadAsync(coordinator, $"/api/measures/{withNone.Id}")).ETag);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(anonymous, $"/ogc/collections/measures/items/{withNone.Id}")).Status);
    }
}
