using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Ogc;

namespace SettlementMap.Tests.Ogc;

/// <summary>
/// OGC API – Features Part 1 as real clients read it: no redirects, the API definition at
/// service-desc describing every parameter read, datetime, 6-number bbox, limit above the
/// maximum, HEAD, repeated parameters (GDAL), queryables with labelled coded values, HTML forms.
/// </summary>
public sealed partial class OgcPart1Tests(AppFixture app) : IClassFixture<AppFixture>
{
    // About formats and protocols, not who sees what: the database is "everything public, generalisation off".
    private readonly AppFixture app = EverythingPublic.Of(app);

    private HttpClient Client() => app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        using var client = Client();
        var response = await client.GetAsync(new Uri(path, UriKind.RelativeOrAbsolute));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default, response);
    }

    private static List<long> Ids(JsonElement collection) => [.. collection.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64())];

    private static string Link(JsonElement document, string rel) =>
        document.GetProperty("links").EnumerateArray().First(l => l.GetProperty("rel").GetString() == rel).GetProperty("href").GetString()!;

    private static string PathOf(string href) => new Uri(href).PathAndQuery;

    private static void AssertNamed(JsonElement problem, string parameter) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"the 400 names {parameter}: {problem}");

    [Fact]
    public async Task The_service_desc_link_answers_200_with_the_OpenAPI_3_0_document_and_no_OGC_document_redirects()
    {
        var (_, landing, _) = await GetAsync("/ogc");
        var (status, api, response) = await GetAsync(PathOf(Link(landing, "service-desc")));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/vnd.oai.openapi+json;version=3.0", response.Content.Headers.ContentType?.ToString().Replace(" ", "", StringComparison.Ordinal));
        Assert.StartsWith("3.0", api.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        // QGIS takes its page size from here.
        var limit = api.GetProperty("components").GetProperty("parameters").GetProperty("limit").GetProperty("schema");
        Assert.Equal(OgcParameters.MaxLimit, limit.GetProperty("maximum").GetInt32());
        Assert.Equal(OgcParameters.DefaultLimit, limit.GetProperty("default").GetInt32());

        var (docStatus, _, docResponse) = await GetAsync(PathOf(Link(landing, "service-doc")));
        Assert.Equal(HttpStatusCode.OK, docStatus);
        Assert.Equal("text/html", docResponse.Content.Headers.ContentType?.MediaType);
        var page = await docResponse.Content.ReadAsStringAsync();
        Assert.Contains("/collections/coverage/items", page, StringComparison.Ordinal);
        Assert.Contains("datetime", page, StringComparison.Ordinal);

        // Every link of the landing page, the collections and each collection answers without a redirect.
        var (_, collections, _) = await GetAsync("/ogc/collections");
        var hrefs = new[] { landing, collections }
            .Concat(collections.GetProperty("collections").EnumerateArray())
            .SelectMany(d => d.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("href").GetString()!))
            .Distinct().ToList();
        Assert.True(hrefs.Count > 15);
        foreach (var href in hrefs)
        {
            var (linkStatus, _, _) = await GetAsync(PathOf(href));
            Assert.True(linkStatus == HttpStatusCode.OK, $"{href} answered {(int)linkStatus}");
        }
    }

    [Fact]
    public async Task The_API_definition_describes_every_parameter_each_OGC_route_reads()
    {
        var (_, api, _) = await GetAsync("/ogc/api");
        var components = api.GetProperty("components").GetProperty("parameters");
        HashSet<string> Described(string path)
        {
            Assert.True(api.GetProperty("paths").TryGetProperty(path, out var item), $"the API definition has no path {path}");
            return [.. item.GetProperty("get").GetProperty("parameters").EnumerateArray()
                .Select(p => p.TryGetProperty("$ref", out var r) ? components.GetProperty(r.GetString()!.Split('/')[^1]) : p)
                .Where(p => p.GetProperty("in").GetString() == "query")
                .Select(p => p.GetProperty("name").GetString()!)];
        }

        // Every GET route under /ogc that the app registers, with the parameters its handler may read (OgcParameters).
        var routes = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!).Where(r => r.StartsWith("/ogc", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, routes.Count);
        foreach (var route in routes)
        {
            var path = route["/ogc".Length..] is "" or "/" ? "/" : route["/ogc".Length..];
            if (path.Contains("/items", StringComparison.Ordinal))
            {
                foreach (var collection in OgcCollections.All)
                {
                    var concrete = path.Replace("{collectionId}", collection.Id, StringComparison.Ordinal);
                    var declared = path.EndsWith("{featureId}", StringComparison.Ordinal) ? OgcParameters.Item : OgcParameters.Items(collection);
                    Assert.Subset(Described(concrete), declared.Select(p => p.Name).ToHashSet());
                }
            }
            else
            {
                Assert.Subset(Described(path), OgcParameters.Document.Select(p => p.Name).ToHashSet());
            }
        }
        Assert.Contains("datetime", Described("/collections/coverage/items"));
        Assert.Contains("water_supply", Described("/collections/settlements/items"));
    }

    [Fact]
    public void The_OGC_handlers_read_the_query_only_through_the_declared_parameters()
    {
        // OgcQuery throws when a handler reads a parameter its operation does not declare; this keeps
        // anyone from going around it (request.Query[...] would be a parameter the API definition misses).
        var folder = Path.Combine(PostgisServer.Paths.Root, "src", "SettlementMap.Web", "Features", "Ogc");
        var offenders = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "OgcQuery.cs")
            .Where(f => DirectQueryRead().IsMatch(File.ReadAllText(f)))
            .ToList();
        Assert.Empty(offenders);
    }

    [GeneratedRegex(@"\.Query\s*\[|\.Query\.(TryGetValue|ContainsKey|Keys)|Request\.QueryString")]
    private static partial Regex DirectQueryRead();

    [Fact]
    public async Task Every_declared_items_parameter_is_accepted_and_an_undeclared_one_is_a_400()
    {
        var samples = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["f"] = "json", ["limit"] = "5", ["offset"] = "1", ["bbox"] = "18,41,23,47", ["bbox-crs"] = "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
            ["crs"] = "http://www.opengis.net/def/crs/EPSG/0/32634", ["datetime"] = "2000-01-01/..", ["filter"] = "TRUE", ["filter-lang"] = "cql2-text",
            ["filter-crs"] = "http://www.opengis.net/def/crs/OGC/1.3/CRS84", ["unplanned"] = "water_supply:network",
        };
        foreach (var collection in OgcCollections.All)
        {
            foreach (var parameter in OgcParameters.Items(collection))
            {
                // A cursor is the collection's key: one number, or two for coverage.
                var value = parameter == OgcParameters.Cursor ? string.Join(".", collection.Key.Select(_ => "1")) : samples.GetValueOrDefault(parameter.Name) ?? (parameter.Schema.GetValueOrDefault("type") as string) switch
                {
                    "integer" => "1",
                    "number" => "1.5",
                    "boolean" => "true",
                    _ when parameter.Schema.ContainsKey("format") => "2020-01-01",
                    _ => "x",
                };
                var (status, body, _) = await GetAsync($"/ogc/collections/{collection.Id}/items?{parameter.Name}={Uri.EscapeDataString(value)}");
                Assert.True(status == HttpStatusCode.OK, $"{collection.Id} {parameter.Name}={value}: {(int)status} {body}");
            }
            var (unknown, problem, _) = await GetAsync($"/ogc/collections/{collection.Id}/items?colour=red");
            Assert.Equal(HttpStatusCode.BadRequest, unknown);
            AssertNamed(problem, "colour");
        }
    }

    public static TheoryData<string, string?, string?> Datetimes => new()
    {
        { "2020-06-15T12:00:00Z", "2020-06-15", "2020-06-15" },
        { "2020-06-15T23:30:00-02:00", "2020-06-16", "2020-06-16" },
        { "2020-06-15", "2020-06-15", "2020-06-15" },
        { "2018-01-01T00:00:00Z/2020-12-31T23:59:59Z", "2018-01-01", "2020-12-31" },
        { "2018-01-01/2020-12-31", "2018-01-01", "2020-12-31" },
        { "../2015-06-30", null, "2015-06-30" },
        { "/2015-06-30", null, "2015-06-30" },
        { "2023-01-01/..", "2023-01-01", null },
        { "2023-01-01/", "2023-01-01", null },
    };

    [Theory]
    [MemberData(nameof(Datetimes))]
    public async Task Datetime_selects_coverage_records_whose_period_meets_it_and_settlements_as_they_were_then(string datetime, string? first, string? last)
    {
        DateOnly? firstDay = first is null ? null : DateOnly.Parse(first, CultureInfo.InvariantCulture);
        DateOnly? lastDay = last is null ? null : DateOnly.Parse(last, CultureInfo.InvariantCulture);
        await using var db = app.CreateContext();
        var coverage = await db.Coverage
            .Where(c => (lastDay == null || c.ValidFrom == null || c.ValidFrom <= lastDay) && (firstDay == null || c.ValidTo == null || c.ValidTo >= firstDay))
            .Select(c => c.Id).OrderBy(i => i).ToListAsync();
        // The settlements are read from their history: an instant (a date: the end of its UTC day) sees the
        // versions valid then; an interval, every settlement with a version valid at some instant of it.
        var instant = !datetime.Contains('/', StringComparison.Ordinal);
        var settlements = await db.Database.SqlQueryRaw<long>(instant
            ? "SELECT DISTINCT id AS \"Value\" FROM settlement_versions WHERE valid @> @last::timestamptz"
            : "SELECT DISTINCT id AS \"Value\" FROM settlement_versions WHERE valid && tstzrange(@first::timestamptz, @last::timestamptz, '[]')",
            new Npgsql.NpgsqlParameter("first", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)Bound(datetime.Split('/')[0], end: false) ?? DBNull.Value },
            new Npgsql.NpgsqlParameter("last", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)Bound(datetime.Split('/')[^1], end: true) ?? DBNull.Value })
            .OrderBy(i => i).ToListAsync();
        var allCoverage = await db.Coverage.CountAsync();

        var (status, page, _) = await GetAsync($"/ogc/collections/coverage/items?limit=10000&datetime={Uri.EscapeDataString(datetime)}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(coverage, Ids(page).Order());
        Assert.InRange(coverage.Count, 1, allCoverage - 1);
        var (_, settlementPage, _) = await GetAsync($"/ogc/collections/settlements/items?limit=10000&datetime={Uri.EscapeDataString(datetime)}");
        Assert.Equal(settlements, Ids(settlementPage));
        // Municipalities have no time: Part 1 (/req/core/fc-time-response C) has every one match.
        var (_, municipalities, _) = await GetAsync($"/ogc/collections/municipalities/items?limit=1&datetime={Uri.EscapeDataString(datetime)}");
        Assert.Equal(await db.Municipalities.CountAsync(), municipalities.GetProperty("numberMatched").GetInt32());
    }

    /// <summary>One end of a datetime as an instant (text for PostgreSQL): a date's start or end of day, a date-time itself, null when open.</summary>
    private static string? Bound(string text, bool end) => text is "" or ".." ? null
        : text.Contains('T', StringComparison.Ordinal) ? text
        : end ? text + "T23:59:59.999999Z" : text + "T00:00:00Z";

    [Theory]
    [InlineData("2020-13-01")]
    [InlineData("2020-01-01T00:00:00")]
    [InlineData("2020-01-01 00:00:00Z")]
    [InlineData("../..")]
    [InlineData("/")]
    [InlineData("2021-01-01/2020-01-01")]
    [InlineData("2020-01-01/2020-02-01/2020-03-01")]
    [InlineData("yesterday")]
    public async Task A_bad_datetime_is_a_400_problem_naming_datetime(string datetime)
    {
        var (status, problem, response) = await GetAsync($"/ogc/collections/coverage/items?datetime={Uri.EscapeDataString(datetime)}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertNamed(problem, "datetime");
    }

    [Fact]
    public async Task Each_collection_states_its_temporal_extent_from_the_data()
    {
        await using var db = app.CreateContext();
        static string? Interval(JsonElement collection, int end) =>
            collection.GetProperty("extent").GetProperty("temporal").GetProperty("interval")[0][end].GetString();

        var (_, coverage, _) = await GetAsync("/ogc/collections/coverage");
        var firstFrom = await db.Coverage.MinAsync(c => c.ValidFrom);
        Assert.Equal($"{firstFrom:yyyy-MM-dd}T00:00:00Z", Interval(coverage, 0));
        Assert.True(await db.Coverage.AnyAsync(c => c.ValidTo == null));
        Assert.Null(Interval(coverage, 1)); // records still current: open end

        // The settlements' time is their history: from its first version on, open (the current state).
        var (_, settlements, _) = await GetAsync("/ogc/collections/settlements");
        var firstVersion = await db.Database.SqlQueryRaw<string>("SELECT to_char(min(lower(valid)) AT TIME ZONE 'UTC', 'YYYY-MM-DD') || 'T00:00:00Z' AS \"Value\" FROM settlement_versions").SingleAsync();
        Assert.Equal(firstVersion, Interval(settlements, 0));
        Assert.Null(Interval(settlements, 1));

        var (_, municipalities, _) = await GetAsync("/ogc/collections/municipalities");
        Assert.Null(Interval(municipalities, 0));
        Assert.Null(Interval(municipalities, 1));
    }

    [Fact]
    public async Task A_six_number_bbox_selects_what_its_four_numbers_select_and_a_limit_above_the_maximum_is_the_maximum()
    {
        var (status, flat, _) = await GetAsync("/ogc/collections/settlements/items?limit=10000&bbox=21.5,43.0,22.5,43.6");
        var (status6, withHeights, _) = await GetAsync("/ogc/collections/settlements/items?limit=10000&bbox=21.5,43.0,-100,22.5,43.6,3000");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, status6);
        Assert.NotEmpty(Ids(flat));
        Assert.Equal(Ids(flat), Ids(withHeights));

        foreach (var limit in new[] { "10001", "20000", "99999999999999999999" })
        {
            var (limitStatus, page, _) = await GetAsync($"/ogc/collections/coverage/items?limit={limit}");
            Assert.Equal(HttpStatusCode.OK, limitStatus);
            Assert.Equal(page.GetProperty("numberMatched").GetInt32(), page.GetProperty("numberReturned").GetInt32());
        }
        foreach (var limit in new[] { "0", "-1", "ten", "1.5", "" + "1e3" })
        {
            var (limitStatus, problem, _) = await GetAsync($"/ogc/collections/coverage/items?limit={limit}");
            Assert.Equal(HttpStatusCode.BadRequest, limitStatus);
            AssertNamed(problem, "limit");
        }
    }

    [Fact]
    public async Task A_parameter_repeated_with_the_same_value_counts_once_and_with_different_values_is_a_400()
    {
        // GDAL repeats the dataset URL's filter and crs in the query of each next link it follows.
        var filter = Uri.EscapeDataString("estimated_inhabitants > 300");
        var crs = Uri.EscapeDataString("http://www.opengis.net/def/crs/EPSG/0/32634");
        var (_, once, _) = await GetAsync($"/ogc/collections/settlements/items?limit=50&filter={filter}&crs={crs}");
        var (status, twice, _) = await GetAsync($"/ogc/collections/settlements/items?limit=50&filter={filter}&crs={crs}&filter={filter}&crs={crs}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Ids(once), Ids(twice));
        var next = Link(twice, "next");
        Assert.Single(Regex.Matches(next, "[?&]filter="));
        Assert.Single(Regex.Matches(next, "[?&]crs="));
        var (nextStatus, _, _) = await GetAsync(PathOf(next) + $"&filter={filter}&crs={crs}");
        Assert.Equal(HttpStatusCode.OK, nextStatus);

        var (different, problem, _) = await GetAsync("/ogc/collections/settlements/items?limit=5&limit=6");
        Assert.Equal(HttpStatusCode.BadRequest, different);
        AssertNamed(problem, "limit");
    }

    [Fact]
    public async Task HEAD_answers_like_GET_without_a_body_on_every_GET_endpoint()
    {
        await using var db = app.CreateContext();
        var settlement = await db.Settlements.OrderBy(s => s.Id).FirstAsync();
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["collectionId"] = "settlements", ["featureId"] = settlement.Id.ToString(CultureInfo.InvariantCulture), ["id"] = settlement.Id.ToString(CultureInfo.InvariantCulture),
            ["code"] = settlement.Code, ["z"] = "7", ["x"] = "71", ["y"] = "46",
        };
        var routes = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(e => e.RoutePattern)
            .ToList();
        Assert.True(routes.Count > 20);
        using var client = Client();
        foreach (var pattern in routes)
        {
            var path = "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => values.GetValueOrDefault(parameter.Name, "1"),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                _ => "",
            }))));
            using var get = await client.GetAsync(new Uri(path, UriKind.Relative));
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative)));
            Assert.True(get.StatusCode == head.StatusCode, $"{path}: GET {(int)get.StatusCode}, HEAD {(int)head.StatusCode}");
            Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Queryables_give_each_coded_value_its_labels_in_three_languages_and_the_type_of_count()
    {
        var (status, settlements, response) = await GetAsync("/ogc/collections/settlements/queryables");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/schema+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://json-schema.org/draft/2019-09/schema", settlements.GetProperty("$schema").GetString());
        var water = settlements.GetProperty("properties").GetProperty("water_supply");
        Assert.Equal(["unknown", "network", "wells", "none"], water.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        var wells = water.GetProperty("oneOf").EnumerateArray().Single(o => o.GetProperty("const").GetString() == "wells");
        Assert.Equal("wells", wells.GetProperty("title").GetString());
        Assert.Equal("bunari", wells.GetProperty("x-labels").GetProperty("sr-Latn").GetString());
        Assert.Equal("бунари", wells.GetProperty("x-labels").GetProperty("sr-Cyrl").GetString());
        Assert.Equal("Water supply", water.GetProperty("title").GetString());

        // Every closed list of every collection is labelled in all three languages.
        foreach (var collection in OgcCollections.All)
        {
            var (_, queryables, _) = await GetAsync($"/ogc/collections/{collection.Id}/queryables");
            foreach (var (name, codes) in collection.CodeLists)
            {
                var options = queryables.GetProperty("properties").GetProperty(name).GetProperty("oneOf").EnumerateArray().ToList();
                Assert.Equal(codes.Values, options.Select(o => o.GetProperty("const").GetString()));
                Assert.All(options, o => Assert.Equal(3, o.GetProperty("x-labels").EnumerateObject().Count(l => l.Value.GetString()!.Length > 0)));
            }
        }
        var (_, coverage, _) = await GetAsync("/ogc/collections/coverage/queryables");
        Assert.Equal("integer", coverage.GetProperty("properties").GetProperty("count").GetProperty("type").GetString());
        Assert.Contains("Health mediators", coverage.GetProperty("properties").GetProperty("kind").GetProperty("oneOf").EnumerateArray().Select(o => o.GetProperty("title").GetString()));

        // QGIS 3.22 types its fields from the first ten items: count must be a number in one of them.
        var (_, firstPage, _) = await GetAsync("/ogc/collections/coverage/items?limit=10");
        Assert.Contains(firstPage.GetProperty("features").EnumerateArray(), f => f.GetProperty("properties").GetProperty("count").ValueKind == JsonValueKind.Number);
    }

    [Fact]
    public async Task The_queryables_and_the_API_have_HTML_forms_with_no_inline_script_or_style()
    {
        using var client = Client();
        var pages = new Dictionary<string, string>
        {
            ["/ogc?f=html"] = "Collections",
            ["/ogc/api?f=html"] = "limit",
            ["/ogc/collections/settlements/queryables?f=html"] = "bunari",
            ["/ogc/collections/coverage/queryables?f=html"] = "Health mediators",
            ["/ogc/collections?f=html"] = "Roma settlements",
            ["/ogc/collections/coverage/items?f=html&limit=3"] = "Coverage",
        };
        foreach (var (path, text) in pages)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains(text, html, StringComparison.Ordinal);
            // Content-Security-Policy: default-src 'self'; no inline script or style.
            Assert.DoesNotMatch("<script|<style|\\sstyle=|\\son[a-z]+=", html);
            Assert.Contains("<link rel=\"stylesheet\" href=\"http://localhost/ogc.css\">", html, StringComparison.Ordinal);
        }
        using var css = await client.GetAsync(new Uri("/ogc.css", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }
}
