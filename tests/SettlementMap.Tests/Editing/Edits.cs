using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Http;

namespace SettlementMap.Tests.Editing;

/// <summary>A settlement as GET /api/settlements/{id} answered: status, ETag and the Feature (Undefined when there is no body).</summary>
public sealed record SettlementRead(HttpStatusCode Status, string? ETag, JsonElement Feature)
{
    public JsonElement Properties => Feature.GetProperty("properties");

    public JsonElement Geometry => Feature.GetProperty("geometry");

    public string? Text(string property) => Properties.GetProperty(property).ToString();
}

/// <summary>The steps the editing tests share: accounts and tokens, reads with their ETag, writes with If-Match, outlines, database reads.</summary>
public static class Edits
{
    public const string Admin = "admin";
    public const string AdminPassword = "demo-admin-2026";
    public const string CoordinatorNis = "coord-nis";
    public const string CoordinatorPassword = "demo-coordinator";
    public const string Json = "application/json";

    /// <summary>The closed list of water_supply, in its order.</summary>
    public static readonly IReadOnlyList<string> WaterSupplies = ["unknown", "network", "wells", "none"];
    private static readonly GeometryFactory Factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    /// <summary>A user name for a role of the authorization matrix; null for anonymous.</summary>
    public static string? UserFor(string role) => role switch
    {
        "anonymous" => null,
        "coordinator" => CoordinatorNis,
        "administrator" => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "anonymous, coordinator or administrator"),
    };

    /// <summary>A fresh personal access token of this account, issued by the application's own AccountService service.</summary>
    public static async Task<string> TokenAsync(AppFixture app, string userName)
    {
        using var scope = app.Factory.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var db = scope.ServiceProvider.GetRequiredService<SettlementMapDbContext>();
        var user = await db.Users.SingleAsync(u => u.UserName == userName);
        var (_, text) = await accounts.IssueTokenAsync(user, "test", TimeSpan.FromDays(1), default);
        return text;
    }

    /// <summary>A client that sends this account's token; anonymous when userName is null.</summary>
    public static async Task<HttpClient> ClientAsync(AppFixture app, string? userName)
    {
        var client = app.Factory.CreateClient();
        if (userName is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(app, userName));
        }
        return client;
    }

    /// <summary>A client that keeps cookies, as the web page does.</summary>
    public static HttpClient CookieClient(AppFixture app) =>
        app.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    /// <summary>GET /api/auth/me: sets the antiforgery cookie and answers the request token.</summary>
    public static async Task<string> CsrfTokenAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await BodyAsync(response)).GetProperty("csrf_token").GetString()!;
    }

    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string? csrfToken, string userName, string password) =>
        SendAsync(client, HttpMethod.Post, "/api/auth/sign-in", JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["user_name"] = userName,
            ["password"] = password,
        }), csrfToken: csrfToken);

    /// <summary>Signs in with a cookie and returns the antiforgery token bound to the new identity.</summary>
    public static async Task<string> SignInWithCookieAsync(HttpClient client, string userName, string password)
    {
        using var response = await SignInAsync(client, await CsrfTokenAsync(client), userName, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal(userName, body.GetProperty("user_name").GetString());
        return body.GetProperty("csrf_token").GetString()!;
    }

    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpMethod method, string url, string? body, string? ifMatch = null, string mediaType = Json, string? csrfToken = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (csrfToken is not null)
        {
            request.Headers.Add(Authentication.AntiforgeryHeader, csrfToken);
        }
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, long id, string body, string? ifMatch, string? csrfToken = null) =>
        SendAsync(client, HttpMethod.Patch, Url(id), body, ifMatch, csrfToken: csrfToken);

    public static Task<HttpResponseMessage> DeleteAsync(HttpClient client, long id, string? ifMatch) =>
        SendAsync(client, HttpMethod.Delete, Url(id), null, ifMatch);

    public static Task<HttpResponseMessage> CreateAsync(HttpClient client, string body) =>
        SendAsync(client, HttpMethod.Post, "/api/settlements", body);

    public static Task<HttpResponseMessage> RestoreAsync(HttpClient client, long id, long changeId, string? ifMatch) =>
        SendAsync(client, HttpMethod.Post, $"{Url(id)}/restore", Invariant($$"""{"change_id": {{changeId}}}"""), ifMatch);

    public static string Url(long id) => Invariant($"/api/settlements/{id}");

    public static async Task<SettlementRead> GetAsync(HttpClient client, long id)
    {
        using var response = await client.GetAsync(new Uri(Url(id), UriKind.Relative));
        return new SettlementRead(response.StatusCode, response.Headers.ETag?.Tag, await BodyAsync(response));
    }

    /// <summary>GET /api/settlements/{id}/history (entries newest first).</summary>
    public static async Task<List<JsonElement>> HistoryAsync(HttpClient client, long id)
    {
        using var response = await client.GetAsync(new Uri($"{Url(id)}/history", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await BodyAsync(response)).EnumerateArray()];
    }

    /// <summary>The response body as JSON; Undefined when it is empty.</summary>
    public static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    /// <summary>{"properties": {name: value}} for one attribute.</summary>
    public static string Properties(string name, object? value) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["properties"] = new Dictionary<string, object?> { [name] = value } });

    /// <summary>A Feature-shaped body with an outline and optional properties.</summary>
    public static string WithGeometry(Geometry geometry, object? properties = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "Feature",
            ["properties"] = properties,
            ["geometry"] = JsonSerializer.SerializeToElement(geometry, GeoJson.ApiOptions),
        });

    /// <summary>A water supply value other than this one.</summary>
    public static string OtherWaterSupply(string? current) => WaterSupplies.First(w => w != current);

    public static Geometry ReadGeometry(JsonElement geometry) => geometry.Deserialize<Geometry>(GeoJson.ApiOptions)!;

    /// <summary>The outline scaled around its centroid (0.9: slightly smaller, so it stays where it was).</summary>
    public static Geometry Scaled(JsonElement geometry, double factor)
    {
        var outline = ReadGeometry(geometry);
        var centre = outline.Centroid;
        var scaled = AffineTransformation.ScaleInstance(factor, factor, centre.X, centre.Y).Transform(outline);
        scaled.SRID = 4326;
        return scaled;
    }

    public static Geometry Shifted(JsonElement geometry, double longitude, double latitude)
    {
        var shifted = AffineTransformation.TranslationInstance(longitude, latitude).Transform(ReadGeometry(geometry));
        shifted.SRID = 4326;
        return shifted;
    }

    /// <summary>A square of about this many metres a side around a point, counter-clockwise unless asked otherwise.</summary>
    public static Polygon Square(Coordinate centre, double sideMetres, bool clockwise = false)
    {
        var dLat = sideMetres / 2 / 111_320;
        var dLon = sideMetres / 2 / (111_320 * Math.Cos(centre.Y * Math.PI / 180));
        Coordinate[] ring =
        [
            new(centre.X - dLon, centre.Y - dLat), new(centre.X + dLon, centre.Y - dLat), new(centre.X + dLon, centre.Y + dLat),
            new(centre.X - dLon, centre.Y + dLat), new(centre.X - dLon, centre.Y - dLat),
        ];
        return Factory.CreatePolygon(clockwise ? [.. ring.Reverse()] : ring);
    }

    /// <summary>
    /// A 100 m square inside the municipality, clear of every settlement (new outlines must not
    /// overlap one): around the first free point of a random scatter, checked to lie inside.
    /// </summary>
    public static async Task<Polygon> SquareInsideAsync(AppFixture app, string municipalityCode)
    {
        await using var db = app.CreateContext();
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT ST_X(p.geom), ST_Y(p.geom)
            FROM municipalities m, LATERAL ST_Dump(ST_GeneratePoints(m.geom, 300)) AS p
            WHERE m.code = @code AND ST_Covers(m.geom, ST_Expand(p.geom, 0.002))
              AND NOT EXISTS (SELECT 1 FROM settlements s WHERE ST_DWithin(s.geom, p.geom, 0.003))
            LIMIT 1
            """, connection);
        command.Parameters.AddWithValue("code", municipalityCode);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"a free spot in {municipalityCode}");
        var square = Square(new Coordinate(reader.GetDouble(0), reader.GetDouble(1)), 100);
        await reader.DisposeAsync();
        Assert.True(await db.Municipalities.Where(m => m.Code == municipalityCode).Select(m => m.Geom.Covers(square)).SingleAsync(),
            $"the test square in {municipalityCode} lies inside it");
        return square;
    }

    /// <summary>The id of a demo settlement by its code, e.g. ("nis", 3) is DEMO-NIS-003.</summary>
    public static async Task<long> DemoIdAsync(AppFixture app, string municipalityCode, int number)
    {
        var code = Invariant($"DEMO-{municipalityCode.ToUpperInvariant()}-{number:000}");
        await using var db = app.CreateContext();
        return await db.Settlements.Where(s => s.Code == code).Select(s => s.Id).SingleAsync();
    }

    /// <summary>The stored row, with its municipality; null when there is none.</summary>
    public static async Task<Settlement?> RowAsync(AppFixture app, long id)
    {
        await using var db = app.CreateContext();
        return await db.Settlements.AsNoTracking().Include(s => s.Municipality).SingleOrDefaultAsync(s => s.Id == id);
    }

    public static async Task<string> WaterSupplyAsync(AppFixture app, long id) => EnumText.ToText((await RowAsync(app, id))!.WaterSupply);

    public static async Task<List<SettlementChange>> ChangesAsync(AppFixture app, long settlementId)
    {
        await using var db = app.CreateContext();
        return await db.SettlementChanges.AsNoTracking().Where(c => c.SettlementId == settlementId).OrderBy(c => c.Id).ToListAsync();
    }

    public static async Task<int> ChangeCountAsync(AppFixture app)
    {
        await using var db = app.CreateContext();
        return await db.SettlementChanges.CountAsync();
    }

    public static async Task<int> SettlementCountAsync(AppFixture app, string municipalityCode)
    {
        await using var db = app.CreateContext();
        return await db.Settlements.CountAsync(s => s.Municipality!.Code == municipalityCode);
    }

    public static JsonElement Parse(string? json) => JsonSerializer.Deserialize<JsonElement>(json!);

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>ETag without its quotes: the version as the 412 body's current_version gives it.</summary>
    public static string Version(string? etag) => etag!.Trim('"');
}
