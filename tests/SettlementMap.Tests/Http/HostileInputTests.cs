using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Measures;
using SettlementMap.Web.Features.Ogc;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using Xunit.Abstractions;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Http;

/// <summary>
/// The hostile-input corpus: every endpoint the app registers (read from its own EndpointDataSource)
/// × every route parameter, query parameter and JSON body field it reads × NUL, controls, lone
/// surrogates, invalid UTF-8, huge and deep values, injection-shaped strings, wrong types and odd
/// numbers, sent anonymously and as an administrator. No answer may be a 5xx; every 4xx is an RFC
/// 7807 problem with a title; a refusal of text that breaks the input rule names the input.
/// </summary>
public sealed partial class HostileInputTests(AppFixture app, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    /// <summary>What one endpoint reads besides its route: query parameters, a baseline query that reaches its handler, a JSON body.</summary>
    private sealed record Surface(string[] Query, string Baseline = "", string? Body = null, bool NeedsIfMatch = false, string? RawBodyType = null);

    private const string CoverageBody = """{"municipality_code":"nis","kind":"mobile_team","programme_code":null,"count":2,"valid_from":"2024-01-01","valid_to":null,"source":"corpus","note":"n"}""";
    private const string MeasureBody = """{"action_plan_id":1,"priority_area":"housing","title_latn":"Korpus","title_en":"Corpus","settlement_codes":[],"target_attribute":"water_supply","target_value":"network","responsible_body":"corpus","funding_source":"donor","programme_code":null,"donor_name":"Corpus donor","budget":{"currency":"RSD","amount":1000,"spent":10},"status":"in_progress","started_on":"2024-01-01","done_on":null,"dropped_on":null,"indicators":[{"name":"n","unit":"u","target":1,"achieved":0}]}""";
    private const string PlanBody = """{"municipality_code":"nis","title_latn":"Korpus","title_en":"Corpus","period_start":"2025-01-01","period_end":"2029-12-31","adopted_on":"2024-12-01","document_url":"https://example.org/corpus.pdf"}""";
    private const string SettlementBody = """{"type":"Feature","valid_from":"2024-01-01","geometry":{"type":"Polygon","coordinates":[[[21.9,43.3],[21.901,43.3],[21.901,43.301],[21.9,43.301],[21.9,43.3]]]},"properties":{"name_latn":"Korpus","source":"corpus","water_supply":"wells","estimated_inhabitants":10,"data_collected_on":"2024-01-01"}}""";

    /// <summary>
    /// THE one list of what each endpoint reads. A test checks it against the app's endpoint list (a
    /// new endpoint without an entry fails) and against the parameters each endpoint names when it
    /// rejects an unknown one (a new parameter without an entry fails).
    /// </summary>
    private static readonly Dictionary<string, Surface> Surfaces = new(StringComparer.Ordinal)
    {
        ["GET /openapi/v1.json"] = new([]),
        ["GET /health/live"] = new([]),
        ["GET /health/ready"] = new([]),
        ["GET /api/search"] = new(["q", "limit", "offset"], "q=nis"),
        ["GET /api/config"] = new([]),
        ["GET /api/offline/shell"] = new([]),
        ["GET /api/layers/coverage"] = new(["as_of", "zoom"]),
        ["GET /api/reports/summary"] = new(["municipality", "district", "as_of", "since"], "municipality=nis"),
        ["GET /api/reports/measures"] = new(["municipality", "district", "as_of", "format", "lang"], "municipality=nis"),
        ["GET /api/history/indicators"] = new(["municipality", "district", "dates", "from", "to", "step", "format", "lang"], "municipality=nis"),
        ["GET /api/export/settlements"] = new([.. new SettlementAreaQuery().Names(), "format", "crs", "geometry", "headers", "lang"]),
        ["GET /api/export/records"] = new(["limit", "before_id"]),
        ["GET /tiles/settlements/{z}/{x}/{y}.mvt"] = new([.. new SettlementFilterQuery().Names()]),
        ["GET /api/layers/settlements"] = new([.. new SettlementLayerQuery().Names()]),
        ["GET /api/layers/settlements/summary"] = new([.. new SettlementAreaQuery().Names(), "theme", "breaks"]),
        ["GET /api/layers/municipalities"] = new(["bbox", "municipality", "district", "zoom"]),
        ["GET /api/settlements/{id}"] = new([]),
        ["GET /api/auth/me"] = new([]),
        ["POST /api/auth/sign-in"] = new([], Body: """{"user_name":"nobody","password":"not-the-password","code":"123456"}"""),
        ["POST /api/auth/sign-out"] = new([]),
        ["POST /api/auth/tokens"] = new([], Body: """{"name":"corpus","days":1}"""),
        ["GET /api/auth/tokens"] = new([]),
        ["DELETE /api/auth/tokens/{tokenId:long}"] = new([]),
        ["POST /api/auth/two-factor/"] = new([]),
        ["POST /api/auth/two-factor/confirm"] = new([], Body: """{"code":"123456"}"""),
        ["POST /api/auth/two-factor/disable"] = new([], Body: """{"code":"123456"}"""),
        ["GET /api/users/"] = new([]),
        ["GET /api/users/password-policy"] = new([]),
        ["POST /api/users/"] = new([], Body: """{"user_name":"corpus-user","display_name":"Corpus","role":"coordinator","municipalities":["nis"],"password":"a-long-corpus-password","generate_password":false}"""),
        ["PATCH /api/users/{userName}"] = new([], Body: """{"display_name":"Corpus","role":"coordinator","municipalities":["nis"]}"""),
        ["DELETE /api/users/{userName}"] = new([]),
        ["GET /api/sensitivity/"] = new([]),
        ["PUT /api/sensitivity/attributes/{attribute}"] = new([], Body: """{"level":"signed_in"}"""),
        ["PUT /api/sensitivity/generalisation"] = new([], Body: """{"enabled":true,"threshold":100,"radius_m":500}"""),
        ["POST /api/users/{userName}/reactivate"] = new([]),
        ["POST /api/users/{userName}/password"] = new([], Body: """{"password":"a-long-corpus-password","generate":false}"""),
        ["GET /api/users/{userName}/tokens"] = new([]),
        ["DELETE /api/users/{userName}/tokens/{tokenId:long}"] = new([]),
        ["DELETE /api/users/{userName}/two-factor"] = new([]),
        ["GET /api/account-changes"] = new(["user", "before", "limit"]),
        ["POST /api/settlements/"] = new([], Body: SettlementBody),
        ["PATCH /api/settlements/{id}"] = new([], Body: """{"properties":{"name_latn":"Korpus","source":"corpus","estimated_inhabitants":10,"water_supply":"wells"}}""", NeedsIfMatch: true),
        ["DELETE /api/settlements/{id}"] = new([]),
        ["GET /api/settlements/{id}/history"] = new([]),
        ["POST /api/settlements/{id}/restore"] = new([], Body: """{"change_id":1}""", NeedsIfMatch: true),
        ["GET /api/coverage/figures"] = new(["as_of"]),
        ["GET /api/coverage/gaps"] = new(["kind", "as_of", "format", "lang"], "kind=gap"),
        ["GET /api/history/changes"] = new(["attribute", "from", "to", "bbox", "municipality", "district", "format", "lang"], "attribute=water_supply&from=2019-01-01&to=2020-01-01"),
        ["GET /api/history/changes/attributes"] = new([]),
        ["GET /api/coverage/"] = new(["municipality", "as_of"]),
        ["GET /api/history/freshness"] = new(["threshold_days", "format", "lang", "zoom"]),
        ["GET /api/history/freshness/stale"] = new(["threshold_days"]),
        ["POST /api/coverage"] = new([], Body: CoverageBody),
        ["PUT /api/coverage/{id}"] = new([], Body: CoverageBody),
        ["DELETE /api/coverage/{id}"] = new([]),
        ["POST /api/programmes"] = new([], Body: """{"code":"corpus","name_en":"Corpus","name_sr_latn":"Korpus","funders":"f","started_on":"2024-01-01","ended_on":null}"""),
        // The OGC API's parameters come from its own declaration (OgcParameters), which also writes its API document.
        ["GET /ogc/"] = new(Names(OgcParameters.Document)),
        ["GET /ogc/conformance"] = new(Names(OgcParameters.Document)),
        ["GET /ogc/api"] = new(Names(OgcParameters.Document)),
        ["GET /ogc/collections"] = new(Names(OgcParameters.Document)),
        ["GET /ogc/collections/{collectionId}"] = new(Names(OgcParameters.Document)),
        ["GET /ogc/collections/{collectionId}/queryables"] = new(Names(OgcParameters.Document)),
        ["GET /ogc/collections/{collectionId}/schema"] = new(Names(OgcParameters.Document)),
        // The property filters (one per queryable) are added from the collection's own queryables.
        ["GET /ogc/collections/{collectionId}/items"] = new(Names(OgcParameters.Items(OgcCollections.Find("settlements")!).Where(p => p.Property is null))),
        ["GET /ogc/collections/{collectionId}/items/{featureId}"] = new(Names(OgcParameters.Item)),
        ["POST /api/imports/"] = new(["file_name", "crs", "layer", "encoding", "sheet", "wkt_column", "lon_column", "lat_column", "mapping", "repair", "describes", "kind"],
            "file_name=corpus.csv", Body: "naziv,opstina\nKorpus,nis\n", RawBodyType: "text/csv"),
        ["POST /api/imports/{id:guid}/dry-run"] = new(["crs", "layer", "encoding", "sheet", "wkt_column", "lon_column", "lat_column", "mapping", "repair", "describes", "kind"]),
        ["POST /api/imports/{id:guid}/apply"] = new(["skip_bad_rows"]),
        ["GET /api/imports/{id:guid}"] = new([]),
        ["GET /api/imports/{id:guid}/report.html"] = new([]),
        ["GET /api/import-mappings/"] = new([]),
        ["GET /api/import-mappings/{name}"] = new([]),
        ["PUT /api/import-mappings/{name}"] = new([], Body: """{"columns":{"naziv":"name_latn"}}"""),
        ["DELETE /api/import-mappings/{name}"] = new([]),
        ["GET /api/measures/lists"] = new([]),
        ["GET /api/measures/"] = new([.. MeasureFilterQuery.Names, "limit", "offset"]),
        ["GET /api/measures/layer"] = new([.. MeasureFilterQuery.Names]),
        ["GET /api/measures/coverage"] = new([.. MeasureFilterQuery.Names]),
        ["GET /api/measures/{measureId}"] = new([]),
        ["GET /api/measures/{measureId}/history"] = new([]),
        ["POST /api/measures/"] = new([], Body: MeasureBody),
        ["PATCH /api/measures/{measureId}"] = new([], Body: MeasureBody.Replace("\"action_plan_id\":1,", "", StringComparison.Ordinal), NeedsIfMatch: true),
        ["DELETE /api/measures/{measureId}"] = new([]),
        ["PUT /api/measures/budget-level"] = new([], Body: """{"level":"signed_in"}"""),
        ["GET /api/action-plans/"] = new(["municipality", "limit", "offset"]),
        ["GET /api/action-plans/{planId}"] = new([]),
        ["POST /api/action-plans/"] = new([], Body: PlanBody),
        ["PATCH /api/action-plans/{planId}"] = new([], Body: PlanBody.Replace("\"municipality_code\":\"nis\",", "", StringComparison.Ordinal), NeedsIfMatch: true),
    };

    /// <summary>A hostile value; BreaksTextRule: the app must refuse it with a 400 that names the input.</summary>
    private sealed record Hostile(string Text, bool BreaksTextRule = false);

    private static readonly string[] InjectionShaped =
    [
        "' OR 1=1--", "\" OR \"\"=\"", "1); DROP TABLE settlements;--", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "=cmd|' /C calc'!A0", "=HYPERLINK(\"http://127.0.0.1\")", "../../etc/passwd", "..\\..\\windows\\win.ini", "${jndi:ldap://127.0.0.1/a}",
        "{{7*7}}", "name_latn='a' OR 1=1", "S_INTERSECTS(geom,POLYGON((0 0,1 0,1 1,0 0)))", "%", "%25", "\\", "{}", "[]", "null", "true",
        "-1", "0", "-2147483649", "99999999999999999999", "1e308", "-1e308", "NaN", "Infinity", "-Infinity", "1.5", "0x10", "", " ", "a,b,,c",
        "2024-02-30", "9999-12-31T23:59:59Z", "Крагујевац", "🙂",
        // The ends of the calendar .NET and dates of a day ("the end of 9999-12-31" once overflowed into a 500).
        "9999-12-31", "0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2019-01-01/9999-12-31",
    ];

    /// <summary>Query and route values, percent-encoded as they go on the wire.</summary>
    private static readonly Hostile[] UrlValues =
    [
        new("%00", true), new("a%00b", true), new("%01", true), new("%1F%1B", true), new("a%0Bb", true),
        new("%ED%A0%80"), new("%C3%28"), new("%FF%FE%FD"), new("%C0%AF"),
        new(new string('a', 100_000)), new(new string('a', 30_000)),
        .. InjectionShaped.Select(s => new Hostile(Uri.EscapeDataString(s))),
    ];

    private static readonly Hostile[] ShortUrlValues =
    [
        .. UrlValues.Where(v => v.BreaksTextRule || v.Text.StartsWith('%')).Take(9), new(new string('a', 30_000)),
        .. new[] { "' OR 1=1--", "<script>alert(1)</script>", "-1", "99999999999999999999", "NaN", "" }.Select(s => new Hostile(Uri.EscapeDataString(s))),
    ];

    /// <summary>JSON values put in place of each body field.</summary>
    private static readonly Hostile[] JsonValues =
    [
        new("\"\\u0000\"", true), new("\"a\\u0000b\"", true), new("\"\\u0001\"", true), new("\"\\u001b[31m\"", true),
        new("\"\\ud800\"", true), new("\"x\\udc00\"", true), new("\"\\ud800\\ud800\"", true),
        new(JsonSerializer.Serialize(new string('a', 100_000))), new(JsonSerializer.Serialize(new string('a', 1_100_000))),
        new("0"), new("-1"), new("1.5"), new("1e308"), new("-1e308"), new("99999999999999999999999"), new("-2147483649"),
        new("true"), new("null"), new("[]"), new("{}"), new("[1,2,3]"), new("[\"nis\",null,1]"), new("{\"a\":{\"b\":[]}}"),
        new("[" + string.Join(',', Enumerable.Repeat("0", 200_000)) + "]"),
        new(new string('[', 100) + new string(']', 100)),
        .. InjectionShaped.Select(s => new Hostile(JsonSerializer.Serialize(s))),
    ];

    /// <summary>Whole bodies that are wrong as a whole (bytes, media type).</summary>
    private static IEnumerable<(string Name, byte[] Bytes, string MediaType)> WholeBodies(string template, string mediaType)
    {
        var utf8 = Encoding.UTF8.GetBytes(template);
        byte[] WithBytes(params byte[] bad)
        {
            var at = template.IndexOf('"', template.IndexOf(':', StringComparison.Ordinal) + 1) + 1; // inside the first string value
            return [.. utf8[..Math.Max(at, 0)], .. bad, .. utf8[Math.Max(at, 0)..]];
        }
        yield return ("empty", [], mediaType);
        yield return ("cut", utf8[..(utf8.Length / 2)], mediaType);
        yield return ("array root", "[]"u8.ToArray(), mediaType);
        yield return ("null root", "null"u8.ToArray(), mediaType);
        yield return ("string root", "\"x\""u8.ToArray(), mediaType);
        yield return ("NaN literal", "{\"a\":NaN}"u8.ToArray(), mediaType);
        yield return ("Infinity literal", "{\"a\":-Infinity}"u8.ToArray(), mediaType);
        yield return ("raw NUL byte", WithBytes(0), mediaType);
        yield return ("lone surrogate as UTF-8", WithBytes(0xED, 0xA0, 0x80), mediaType);
        yield return ("invalid UTF-8", WithBytes(0xC3, 0x28, 0xFF), mediaType);
        yield return ("overlong UTF-8", WithBytes(0xC0, 0xAF), mediaType);
        yield return ("UTF-16", Encoding.Unicode.GetBytes(template), mediaType);
        yield return ("BOM", [0xEF, 0xBB, 0xBF, .. utf8], mediaType);
        yield return ("duplicate keys", Encoding.UTF8.GetBytes(template.Length > 2 ? "{\"a\":1,\"a\":2," + template[1..] : template), mediaType);
        yield return ("deep arrays", Encoding.ASCII.GetBytes(new string('[', 10_000) + new string(']', 10_000)), mediaType);
        yield return ("deep objects", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)), mediaType);
        yield return ("huge array", Encoding.ASCII.GetBytes("[" + string.Join(',', Enumerable.Repeat("0", 600_000)) + "]"), mediaType);
        yield return ("2 MiB", Encoding.ASCII.GetBytes("{\"a\":\"" + new string('a', 2 * 1024 * 1024) + "\"}"), mediaType);
        yield return ("text/plain", utf8, "text/plain");
        yield return ("form", "a=1&b=2"u8.ToArray(), "application/x-www-form-urlencoded");
        yield return ("no media type", utf8, "");
    }

    private sealed record Case(string Identity, string Endpoint, string Method, string Url, string Input, string Value, bool BreaksTextRule, byte[]? Body, string? MediaType, bool NeedsIfMatch);

    private sealed record Finding(Case Case, int Status, string Problem);

    private List<(string Key, RouteEndpoint Endpoint)> Endpoints() => AppEndpoints.All(app.Factory.Services);

    [Fact]
    public void Every_endpoint_the_app_maps_has_an_entry_and_every_entry_an_endpoint()
    {
        var mapped = Endpoints().Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(mapped.Except(Surfaces.Keys));
        Assert.Empty(Surfaces.Keys.Except(mapped));
    }

    /// <summary>Each endpoint that refuses unknown parameters lists the ones it knows: they must all be in its entry.</summary>
    [Fact]
    public async Task Every_query_parameter_an_endpoint_knows_is_in_its_entry()
    {
        using var admin = await ClientAsync(app, Admin);
        var routes = await RouteValuesAsync();
        var missing = new List<string>();
        foreach (var (key, endpoint) in Endpoints())
        {
            var surface = Surfaces[key];
            var method = key[..key.IndexOf(' ', StringComparison.Ordinal)];
            var url = Fill(endpoint, routes, null, null) + "?" + Join(surface.Baseline, "zz_corpus_probe=1");
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative));
            if (method is "DELETE")
            {
                continue; // destructive and without query parameters
            }
            using var response = await admin.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            const string Marker = "Known parameters: ";
            var at = text.IndexOf(Marker, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }
            var end = text.IndexOf('"', at);
            var known = text[(at + Marker.Length)..end].TrimEnd('.').Split(", ");
            var queryables = key.EndsWith("/items", StringComparison.Ordinal) ? await QueryablesAsync(admin) : [];
            missing.AddRange(known.Except(surface.Query).Except(queryables).Select(p => $"{key}: {p}"));
        }
        Assert.Empty(missing);
    }

    /// <summary>
    /// /openapi/v1.json states, for each endpoint, the query parameters its entry says it reads, and no
    /// other (the items' property filters: those of every collection's queryables).
    /// </summary>
    [Fact]
    public async Task The_openapi_document_states_every_query_parameter_an_endpoint_reads_and_no_other()
    {
        using var client = app.Factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var described = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                described[$"{operation.Name.ToUpperInvariant()} {path.Name}"] = operation.Value.TryGetProperty("parameters", out var parameters)
                    ? [.. parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!)]
                    : [];
            }
        }
        var propertyFilters = OgcCollections.All.SelectMany(c => OgcParameters.Items(c).Where(p => p.Property is not null).Select(p => p.Name)).ToHashSet(StringComparer.Ordinal);
        var wrong = new List<string>();
        foreach (var (key, surface) in Surfaces)
        {
            // The document writes a route as OpenAPI does: without constraints or a trailing slash.
            var documented = OpenApiPath().Replace(key, "{$1}");
            documented = documented.EndsWith('/') ? documented[..^1] : documented;
            var expected = surface.Query.ToHashSet(StringComparer.Ordinal);
            if (key.EndsWith("/items", StringComparison.Ordinal))
            {
                expected.UnionWith(propertyFilters);
            }
            if (!described.TryGetValue(documented, out var names))
            {
                if (expected.Count > 0)
                {
                    wrong.Add($"{key}: reads {string.Join(", ", expected)} but is not in the document");
                }
                continue;
            }
            Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
            if (!expected.SetEquals(names))
            {
                wrong.Add($"{key}: the document states [{string.Join(", ", names.Order(StringComparer.Ordinal))}], the endpoint reads [{string.Join(", ", expected.Order(StringComparer.Ordinal))}]");
            }
        }
        Assert.True(described.Count > 40, "the document should describe the API");
        Assert.Empty(wrong);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{(\w+):[^}]*\}")]
    private static partial System.Text.RegularExpressions.Regex OpenApiPath();

    [Fact]
    public async Task No_hostile_input_gets_a_5xx_and_every_refusal_is_a_problem()
    {
        var watch = Stopwatch.StartNew();
        var clients = new Dictionary<string, HttpClient>
        {
            ["anonymous"] = await AnonymousClientAsync(),
            ["administrator"] = await ClientAsync(app, Admin),
        };
        var routes = await RouteValuesAsync();
        var queryables = await QueryablesAsync(clients["administrator"]);
        var cases = new List<Case>();
        foreach (var (key, endpoint) in Endpoints())
        {
            cases.AddRange(CasesFor(key, endpoint, routes, queryables));
        }
        var all = clients.Keys.SelectMany(identity => cases.Where(c => c.Input != "baseline").Select(c => c with { Identity = identity })).ToList();
        var findings = new ConcurrentBag<Finding>();
        var statuses = new ConcurrentDictionary<int, int>();
        var milliseconds = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        // What each endpoint answers each identity without any hostile value: when that is a 400 already
        // (e.g. sign-in with a bearer token and no antiforgery token), a 400 need not name the hostile input.
        var baselines = new Dictionary<(string, string), int>();
        foreach (var identity in clients.Keys)
        {
            foreach (var c in cases.Where(c => c.Input == "baseline"))
            {
                using var response = await SendRawAsync(clients[identity], c);
                baselines[(identity, c.Endpoint)] = (int)response.StatusCode;
            }
        }
        using var gate = new SemaphoreSlim(6);
        // Writes that carry If-Match go one at a time (each reads the current ETag first).
        foreach (var c in all.Where(c => c.NeedsIfMatch))
        {
            await SendAsync(clients[c.Identity], c, baselines.GetValueOrDefault((c.Identity, c.Endpoint)), findings, statuses);
        }
        await Task.WhenAll(all.Where(c => !c.NeedsIfMatch).Select(async c =>
        {
            await gate.WaitAsync();
            try
            {
                var started = Stopwatch.GetTimestamp();
                await SendAsync(clients[c.Identity], c, baselines.GetValueOrDefault((c.Identity, c.Endpoint)), findings, statuses);
                milliseconds.AddOrUpdate(c.Endpoint, _ => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, (_, t) => t + (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            finally
            {
                gate.Release();
            }
        }));
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
        output.WriteLine($"Hostile-input corpus: {all.Count} requests ({cases.Count} cases × {clients.Count} identities) over {Surfaces.Count} endpoints in {watch.Elapsed.TotalSeconds:F0} s.");
        output.WriteLine("Slowest endpoints (request-seconds): " + string.Join(", ", milliseconds.OrderByDescending(m => m.Value).Take(8).Select(m => $"{m.Key} {m.Value / 1000}")));
        output.WriteLine("Statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} × {s.Value}")));
        static string Line(Finding f) => $"{f.Status} {f.Case.Identity} {f.Case.Endpoint} [{f.Case.Input} = {Shorten(f.Case.Value)}]: {f.Problem}";
        var report = findings.OrderBy(f => f.Case.Endpoint, StringComparer.Ordinal).ThenBy(f => f.Case.Input, StringComparer.Ordinal).Select(Line).ToList();
        foreach (var line in report)
        {
            output.WriteLine(line);
        }
        Assert.True(report.Count == 0, $"{report.Count} of {all.Count} hostile requests were answered wrongly:\n{string.Join('\n', report.Take(60))}");
    }

    private static string[] Names(IEnumerable<OgcParameter> parameters) => [.. parameters.Select(p => p.Name)];

    private static string Shorten(string value) => value.Length > 60 ? $"{value[..40]}…({value.Length} chars)" : value;

    private static IEnumerable<Case> CasesFor(string key, RouteEndpoint endpoint, IReadOnlyDictionary<string, string> routes, IReadOnlyList<string> queryables)
    {
        var surface = Surfaces[key];
        var method = key[..key.IndexOf(' ', StringComparison.Ordinal)];
        string Url(string? routeParameter, string? routeValue, string query) =>
            Fill(endpoint, routes, routeParameter, routeValue) + (Join(surface.Baseline, query) is { Length: > 0 } q ? "?" + q : "");
        var body = surface.Body is null ? null : Encoding.UTF8.GetBytes(surface.Body);
        var mediaType = surface.RawBodyType ?? (surface.Body is null ? null : "application/json");
        Case Make(string url, string input, Hostile value, byte[]? bytes = null, string? type = null) =>
            new("", key, method, url, input, value.Text, value.BreaksTextRule, bytes ?? body, type ?? mediaType, surface.NeedsIfMatch);

        yield return Make(Url(null, null, ""), "baseline", new("baseline"));
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            foreach (var value in UrlValues.Where(v => !v.Text.Contains("%00", StringComparison.Ordinal))) // the test host cannot carry %00 in a path; RequestGuardTests sends it to Kestrel
            {
                yield return Make(Url(parameter.Name, value.Text, ""), $"route {parameter.Name}", value with { BreaksTextRule = value.BreaksTextRule });
            }
        }
        // The items' property filters (one per queryable) share one parser: each gets the values that
        // break rules, a sample of the rest, so the corpus stays under two minutes.
        var names = surface.Query.Select(n => (n, UrlValues))
            .Concat(key.EndsWith("/items", StringComparison.Ordinal) ? queryables.Select(n => (n, ShortUrlValues)) : []);
        foreach (var (name, values) in names)
        {
            foreach (var value in values)
            {
                yield return Make(Url(null, null, $"{Uri.EscapeDataString(name)}={value.Text}"), $"query {name}", value);
            }
            yield return Make(Url(null, null, $"{Uri.EscapeDataString(name)}=1&{Uri.EscapeDataString(name)}=2"), $"query {name}", new("repeated"));
        }
        yield return Make(Url(null, null, "a%00b=1"), "query a\\u0000b", new("1", true));
        if (surface.Body is null)
        {
            yield break;
        }
        foreach (var (name, bytes, type) in WholeBodies(surface.Body, mediaType!))
        {
            yield return Make(Url(null, null, ""), "body", new(name), bytes, type);
        }
        if (surface.RawBodyType is not null)
        {
            yield break; // a file, not JSON: whole bodies only
        }
        foreach (var path in Paths(JsonNode.Parse(surface.Body)!, ""))
        {
            foreach (var value in JsonValues)
            {
                var replaced = Replace(surface.Body, path, value.Text);
                yield return Make(Url(null, null, ""), $"body {path}", value, Encoding.UTF8.GetBytes(replaced));
            }
        }
    }

    /// <summary>Every member path of a JSON template (objects and leaves; array items as [0]).</summary>
    private static IEnumerable<string> Paths(JsonNode node, string path)
    {
        if (node is JsonObject o)
        {
            foreach (var (name, child) in o)
            {
                var here = path.Length == 0 ? name : $"{path}.{name}";
                yield return here;
                if (child is JsonObject or JsonArray && name != "coordinates")
                {
                    foreach (var deeper in Paths(child, here))
                    {
                        yield return deeper;
                    }
                }
            }
        }
        else if (node is JsonArray { Count: > 0 } a)
        {
            yield return $"{path}[0]";
        }
    }

    /// <summary>The template with the member at path replaced by raw JSON text (kept as text: hostile values may not parse).</summary>
    private static string Replace(string template, string path, string rawValue)
    {
        const string Marker = "\"__corpus_marker__\"";
        var root = JsonNode.Parse(template)!;
        JsonNode parent = root;
        var parts = path.Replace("[0]", ".[0]", StringComparison.Ordinal).Split('.');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            parent = parts[i] == "[0]" ? parent[0]! : parent[parts[i]]!;
        }
        var last = parts[^1];
        if (last == "[0]")
        {
            parent[0] = JsonValue.Create("__corpus_marker__");
        }
        else
        {
            parent[last] = JsonValue.Create("__corpus_marker__");
        }
        return root.ToJsonString().Replace(Marker, rawValue, StringComparison.Ordinal);
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : $"{a}&{b}";

    private static string Fill(RouteEndpoint endpoint, IReadOnlyDictionary<string, string> routes, string? parameter, string? value) =>
        AppEndpoints.Fill(endpoint, routes, parameter, value);

    private async Task<IReadOnlyDictionary<string, string>> RouteValuesAsync()
    {
        var settlement = (await DemoIdAsync(app, "nis", 1)).ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = settlement, // settlements; for coverage and imports a value that reaches the handler too (a number, or not a guid: 404)
            ["documentName"] = "v1",
            ["userName"] = "corpus-nobody",
            ["tokenId"] = "1",
            ["collectionId"] = "settlements",
            ["featureId"] = settlement,
            ["z"] = "12", ["x"] = "2297", ["y"] = "1500",
            ["name"] = "corpus-mapping",
            ["attribute"] = "heating",
            ["measureId"] = "1", // a demo measure and plan: the writes reach their bodies
            ["planId"] = "1",
        };
    }

    private static async Task<IReadOnlyList<string>> QueryablesAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/ogc/collections/settlements/queryables", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return [.. body.GetProperty("properties").EnumerateObject().Select(p => p.Name).Where(n => n != "geometry")];
    }

    /// <summary>A browser-like anonymous client: cookies and the antiforgery token, so sign-in reads its body.</summary>
    private async Task<HttpClient> AnonymousClientAsync()
    {
        var client = CookieClient(app);
        client.DefaultRequestHeaders.Add(Authentication.AntiforgeryHeader, await CsrfTokenAsync(client));
        return client;
    }

    private static async Task<HttpResponseMessage> SendRawAsync(HttpClient client, Case c)
    {
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), new Uri(c.Url, UriKind.Relative));
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            if (!string.IsNullOrEmpty(c.MediaType))
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.MediaType);
            }
        }
        if (c.NeedsIfMatch)
        {
            // The resource's own ETag: /api/settlements/{id}, /api/measures/{measureId}, … (a restore's too).
            var resource = string.Join('/', c.Url.Split('?')[0].Split('/').Take(4));
            using var current = await client.GetAsync(new Uri(resource, UriKind.Relative));
            if (current.Headers.ETag is { } etag)
            {
                request.Headers.IfMatch.Add(etag);
            }
        }
        // Bounded time is part of the contract: a request unanswered after 30 s is a finding that names it.
        using var time = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await client.SendAsync(request, time.Token);
    }

    private static async Task SendAsync(HttpClient client, Case c, int baseline, ConcurrentBag<Finding> findings, ConcurrentDictionary<int, int> statuses)
    {
        int status;
        string text;
        string? mediaType;
        try
        {
            using var response = await SendRawAsync(client, c);
            status = (int)response.StatusCode;
            text = await response.Content.ReadAsStringAsync();
            mediaType = response.Content.Headers.ContentType?.MediaType;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException or TaskCanceledException)
        {
            // A hang (the client's timeout) is a finding that names the request, not a bare cancellation.
            findings.Add(new Finding(c, 0, $"no answer: {e.GetType().Name}: {e.Message}"));
            return;
        }
        statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (Judge(c, baseline, status, text, mediaType) is { } problem)
        {
            findings.Add(new Finding(c, status, problem));
        }
    }

    private static string? Judge(Case c, int baseline, int status, string text, string? mediaType)
    {
        if (status == 429 && text.Contains(ClientRateLimits.RejectionTitle, StringComparison.Ordinal))
        {
            return "refused by a per-client rate limit, so the endpoint never saw the input (SettlementMapFactory raises the budgets for the suite)";
        }
        if (status >= 500)
        {
            return Shorten(text);
        }
        if (status < 400)
        {
            return null;
        }
        if (mediaType != Problems.MediaType)
        {
            return $"a {status} as {mediaType ?? "no body"}, not {Problems.MediaType}";
        }
        try
        {
            using var body = JsonDocument.Parse(text);
            if (!body.RootElement.TryGetProperty("title", out var title) || string.IsNullOrWhiteSpace(title.GetString()))
            {
                return "a problem without a title";
            }
        }
        catch (JsonException)
        {
            return "a problem body that is not JSON";
        }
        if (c.BreaksTextRule && status == 400 && baseline != 400)
        {
            var name = c.Input.StartsWith("route ", StringComparison.Ordinal) ? "path" : c.Input[(c.Input.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            if (!text.Contains(JsonSerializer.Serialize(name)[1..^1], StringComparison.Ordinal))
            {
                return $"the 400 does not name '{name}': {Shorten(text)}";
            }
        }
        return null;
    }
}
