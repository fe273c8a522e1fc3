using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Ogc;

/// <summary>OGC API – Features under /ogc: documents, paging, bbox, property and CQL2 filters, CRS, HTML, errors.</summary>
public sealed class OgcApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        using var client = app.Factory.CreateClient();
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default, response);
    }

    private static List<long> Ids(JsonElement collection) => [.. collection.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64())];

    [Fact]
    public async Task The_landing_page_conformance_and_collections_describe_the_service()
    {
        var (status, landing, _) = await GetAsync("/ogc");
        Assert.Equal(HttpStatusCode.OK, status);
        var rels = landing.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("rel").GetString()).ToList();
        Assert.Contains("conformance", rels);
        Assert.Contains("data", rels);
        Assert.Contains("service-desc", rels);
        var (_, conformance, _) = await GetAsync("/ogc/conformance");
        var classes = conformance.GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs", classes);
        Assert.Contains("http://www.opengis.net/spec/cql2/1.0/conf/cql2-text", classes);
        var (_, collections, _) = await GetAsync("/ogc/collections");
        Assert.Equal(["settlements", "municipalities", "coverage", "measures"], collections.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        var (_, settlements, _) = await GetAsync("/ogc/collections/settlements");
        var bbox = settlements.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.InRange(bbox[0], 18.8, 20.5);
        Assert.InRange(bbox[3], 45.5, 46.3);
        Assert.Contains("http://www.opengis.net/def/crs/EPSG/0/3909", settlements.GetProperty("crs").EnumerateArray().Select(c => c.GetString()));
        var (_, queryables, _) = await GetAsync("/ogc/collections/settlements/queryables");
        Assert.Equal("integer", queryables.GetProperty("properties").GetProperty("estimated_inhabitants").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Paging_with_next_links_returns_every_settlement_once_with_number_matched_on_the_first_page()
    {
        await using var db = app.CreateContext();
        var all = await db.Settlements.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();
        var seen = new List<long>();
        var path = "/ogc/collections/settlements/items?limit=100";
        var pages = 0;
        while (path is not null)
        {
            var (status, page, _) = await GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, status);
            // Counted once, on the first page; the pages the next links lead to carry a cursor and no count.
            if (pages == 0)
            {
                Assert.Equal(all.Count, page.GetProperty("numberMatched").GetInt64());
            }
            else
            {
                Assert.False(page.TryGetProperty("numberMatched", out _));
                Assert.Contains("cursor=", path);
                Assert.DoesNotContain("offset=", path);
            }
            Assert.Equal(page.GetProperty("features").GetArrayLength(), page.GetProperty("numberReturned").GetInt32());
            seen.AddRange(Ids(page));
            path = Next(page);
            pages++;
        }
        Assert.Equal(all, seen);
        Assert.Equal((all.Count + 99) / 100, pages);
    }

    private static string? Next(JsonElement page)
    {
        var next = page.GetProperty("links").EnumerateArray().FirstOrDefault(l => l.GetProperty("rel").GetString() == "next");
        return next.ValueKind == JsonValueKind.Undefined ? null : new Uri(next.GetProperty("href").GetString()!).PathAndQuery;
    }

    [Fact]
    public async Task Many_first_pages_at_once_each_answer_whole_with_their_count()
    {
        // Each first page counts its matches after its rows, on its own connection: once a page's pooled command
        // outlived its connection and two requests shared one, and some responses never ended.
        using var client = app.Factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        var pages = await Task.WhenAll(Enumerable.Range(0, 48).Select(async i =>
        {
            using var response = await client.GetAsync(new Uri($"/ogc/collections/settlements/items?limit={1 + (i % 7)}", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("numberMatched").GetInt64();
        }));
        Assert.Single(pages.Distinct());
        Assert.True(pages[0] > 7);
    }

    [Theory]
    [InlineData("settlements", "bbox=19,42,23,47&filter=estimated_inhabitants > 50")]
    [InlineData("settlements", "datetime=2000-01-01/..&filter-lang=cql2-text&filter=water_supply <> 'none'")]
    [InlineData("settlements", "datetime=2099-01-01")]
    [InlineData("municipalities", "")]
    [InlineData("coverage", "datetime=2000-01-01/..")]
    public async Task Pages_followed_by_cursor_hold_each_feature_of_one_big_page_once_in_its_order(string collection, string query)
    {
        var (_, whole, _) = await GetAsync($"/ogc/collections/{collection}/items?limit=10000&{query}");
        var expected = whole.GetProperty("features").EnumerateArray().Select(f => f.GetRawText()).ToList();
        Assert.True(expected.Count > 14, $"{expected.Count} features: too few to page");
        Assert.Equal(expected.Count, whole.GetProperty("numberMatched").GetInt64());
        var seen = new List<string>();
        var path = $"/ogc/collections/{collection}/items?limit=7&{query}";
        while (path is not null)
        {
            var (status, page, _) = await GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.InRange(page.GetProperty("numberReturned").GetInt32(), 1, 7);
            seen.AddRange(page.GetProperty("features").EnumerateArray().Select(f => f.GetRawText()));
            path = Next(page);
        }
        // Byte for byte: a page after a cursor is the same features as the one page (timeStamp and links aside).
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task An_offset_from_an_older_client_still_pages_and_its_next_link_continues_by_cursor()
    {
        var (_, whole, _) = await GetAsync("/ogc/collections/settlements/items?limit=30");
        var (status, page, _) = await GetAsync("/ogc/collections/settlements/items?limit=10&offset=10");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Ids(whole)[10..20], Ids(page));
        Assert.Contains("offset=0", page.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "prev").GetProperty("href").GetString());
        Assert.Equal(Ids(whole)[20..30], Ids((await GetAsync(Next(page)!)).Body));
    }

    [Theory]
    [InlineData("settlements", "abc")]
    [InlineData("settlements", "1.2")]
    [InlineData("coverage", "5")]
    [InlineData("settlements", "99999999999999999999")]
    [InlineData("settlements", "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111")]
    public async Task A_cursor_that_no_next_link_gives_is_refused_by_name(string collection, string cursor)
    {
        var (status, body, response) = await GetAsync($"/ogc/collections/{collection}/items?cursor={cursor}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty("cursor", out _));
    }

    [Fact]
    public async Task Items_in_CRS84_carry_the_stored_coordinates_not_the_map_layers_rounded_ones()
    {
        await using var db = app.CreateContext();
        // The demo's outlines have 6 decimals at most: moved by less than that, they need 9 to be written as stored.
        await db.Database.ExecuteSqlRawAsync(
            "UPDATE settlements SET geom = ST_Translate(geom, 0.000000123, 0.000000456) WHERE id IN (SELECT id FROM settlements ORDER BY id LIMIT 20)");
        var (status, page, _) = await GetAsync("/ogc/collections/settlements/items?limit=20");
        Assert.Equal(HttpStatusCode.OK, status);
        var outlines = 0;
        foreach (var feature in page.GetProperty("features").EnumerateArray().Where(f => f.GetProperty("geometry").GetProperty("type").GetString() != "Point"))
        {
            // A Point is a small settlement's displaced point in the public view: not a stored vertex.
            var id = feature.GetProperty("id").GetInt64();
            var stored = await db.Settlements.Where(s => s.Id == id).Select(s => s.Geom).SingleAsync();
            var written = Positions(feature.GetProperty("geometry").GetProperty("coordinates")).ToList();
            // Every written vertex is a stored one to 1e-9 degrees (the layers' 6 decimals would be up to 5e-7 off).
            Assert.All(written, c => Assert.Contains(stored.Coordinates, s => Math.Abs(s.X - c.X) <= 1e-9 && Math.Abs(s.Y - c.Y) <= 1e-9));
            outlines++;
        }
        Assert.True(outlines >= 5, $"{outlines} outlines checked");
    }

    private static IEnumerable<Coordinate> Positions(JsonElement coordinates) =>
        coordinates[0].ValueKind == JsonValueKind.Number
            ? [new Coordinate(coordinates[0].GetDouble(), coordinates[1].GetDouble())]
            : coordinates.EnumerateArray().SelectMany(Positions);

    [Fact]
    public async Task Bbox_property_and_CQL2_filters_select_what_EF_selects()
    {
        await using var db = app.CreateContext();
        var box = new GeometryFactory(new PrecisionModel(), 4326).ToGeometry(new Envelope(21.5, 22.5, 43.0, 43.6));
        var inBox = await db.Settlements.Where(s => s.Geom.Intersects(box)).OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();
        // As an administrator, who sees every outline: the public view puts a small settlement at a point displaced by a
        // hash keyed with the database's random salt, which may fall inside the box when its outline does not.
        using var administrator = await Editing.Edits.ClientAsync(app, Editing.Edits.Admin);
        using var inBoxResponse = await administrator.GetAsync(new Uri("/ogc/collections/settlements/items?limit=10000&bbox=21.5,43.0,22.5,43.6", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, inBoxResponse.StatusCode);
        Assert.Equal(inBox, Ids(JsonDocument.Parse(await inBoxResponse.Content.ReadAsStringAsync()).RootElement));

        var wells = await db.Settlements.Where(s => s.WaterSupply == WaterSupply.Wells).OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();
        Assert.Equal(wells, Ids((await GetAsync("/ogc/collections/settlements/items?limit=10000&water_supply=wells")).Body));

        var large = await db.Settlements.Where(s => s.EstimatedInhabitants > 1000 && (s.WaterSupply == WaterSupply.None || s.WaterSupply == WaterSupply.Wells))
            .OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();
        var filter = Uri.EscapeDataString("estimated_inhabitants > 1000 AND water_supply IN ('none', 'wells')");
        Assert.Equal(large, Ids((await GetAsync($"/ogc/collections/settlements/items?limit=10000&filter-lang=cql2-text&filter={filter}")).Body));
        Assert.NotEmpty(large);
    }

    [Theory]
    [InlineData("filter=estimated_inhabitants%20%3E", "filter", "character")]
    [InlineData("filter=colour%20%3D%20%27red%27", "filter", "colour")]
    [InlineData("filter=name_latn%20%3D%20%27x%27%27%3B%20DROP%20TABLE%20settlements%3B%20--%27", null, null)]
    [InlineData("filter-lang=cql2-json&filter=true", "filter-lang", "cql2-text")]
    [InlineData("crs=EPSG:9999", "crs", "Unsupported")]
    [InlineData("bbox=1,2,3", "bbox", "four numbers")]
    [InlineData("limit=0", "limit", "limit")]
    [InlineData("estimated_inhabitants=many", "estimated_inhabitants", "whole number")]
    [InlineData("colour=red", "colour", "Unknown parameter")]
    public async Task A_bad_request_gets_a_400_that_names_the_parameter_and_never_a_SQL_error(string query, string? parameter, string? words)
    {
        var (status, body, _) = await GetAsync("/ogc/collections/settlements/items?" + query);
        if (parameter is null)
        {
            // The injection attempt is only a value: it matches nothing, and the table is still there.
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(0, body.GetProperty("numberMatched").GetInt64());
            await using var db = app.CreateContext();
            Assert.True(await db.Settlements.AnyAsync());
            return;
        }
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = string.Join(" ", body.GetProperty("errors").GetProperty(parameter).EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(words!, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crs_request_answers_in_that_crs_with_its_axis_order_and_a_Content_Crs_header()
    {
        await using var db = app.CreateContext();
        var first = await db.Settlements.OrderBy(s => s.Id).FirstAsync();
        var lon = first.Geom.Coordinates[0].X;
        var lat = first.Geom.Coordinates[0].Y;

        var (_, utm, response) = await GetAsync($"/ogc/collections/settlements/items/{first.Id}?crs=http://www.opengis.net/def/crs/EPSG/0/32634");
        Assert.Equal("<http://www.opengis.net/def/crs/EPSG/0/32634>", response.Headers.GetValues("Content-Crs").Single());
        var position = utm.GetProperty("geometry").GetProperty("coordinates")[0][0][0];
        Assert.InRange(position[0].GetDouble(), 166_000, 834_000);
        Assert.InRange(position[1].GetDouble(), 4_600_000, 5_200_000);

        var (_, latLon, response4326) = await GetAsync($"/ogc/collections/settlements/items?limit=1&crs=EPSG:4326");
        Assert.Equal("<http://www.opengis.net/def/crs/EPSG/0/4326>", response4326.Headers.GetValues("Content-Crs").Single());
        var corner = latLon.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates")[0][0][0];
        Assert.Equal(lat, corner[0].GetDouble(), 6);
        Assert.Equal(lon, corner[1].GetDouble(), 6);

        // A bbox given in UTM 34N selects the same settlements as its lon/lat equivalent.
        var (_, inUtm, _) = await GetAsync("/ogc/collections/settlements/items?limit=10000&bbox-crs=EPSG:32634&bbox=560000,4780000,590000,4810000");
        Assert.NotEmpty(Ids(inUtm));
    }

    [Fact]
    public async Task One_item_and_the_HTML_views_escape_text_from_the_data()
    {
        await using (var db = app.CreateContext())
        {
            var s = await db.Settlements.OrderByDescending(x => x.Id).FirstAsync();
            s.NameLatn = "<script>alert(1)</script>";
            await db.SaveChangesAsync();
        }
        await using var check = app.CreateContext();
        var renamed = await check.Settlements.OrderByDescending(x => x.Id).FirstAsync();
        var (status, item, _) = await GetAsync($"/ogc/collections/settlements/items/{renamed.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("<script>alert(1)</script>", item.GetProperty("properties").GetProperty("name_latn").GetString());
        using var client = app.Factory.CreateClient();
        var html = await client.GetStringAsync(new Uri($"/ogc/collections/settlements/items/{renamed.Id}?f=html", UriKind.Relative));
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/ogc/collections/settlements/items/999999999")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/ogc/collections/roads")).Status);
        var page = await client.GetStringAsync(new Uri("/ogc/collections/municipalities/items?f=html&limit=5", UriKind.Relative));
        Assert.Contains("Municipalities: items 1–5 of", page, StringComparison.Ordinal);
    }
}
