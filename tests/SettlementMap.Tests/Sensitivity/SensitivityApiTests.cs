using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Sensitivity;

/// <summary>Administrators set who sees what: checked, audited, and followed by every output at the next request.</summary>
public sealed class SensitivityApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, string body) =>
        Edits.SendAsync(client, HttpMethod.Put, url, body);

    [Fact]
    public async Task Only_administrators_read_or_change_the_settings()
    {
        using var anonymous = await Edits.ClientAsync(app, null);
        using var coordinator = await Edits.ClientAsync(app, Edits.CoordinatorNis);
        using (var response = await anonymous.GetAsync(new Uri("/api/sensitivity/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using (var response = await PutAsync(coordinator, "/api/sensitivity/attributes/heating", """{"level":"public"}"""))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_changed_level_is_audited_and_every_output_follows_at_once()
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        using var anonymous = await Edits.ClientAsync(app, null);
        static bool Lists(JsonElement config) => config.GetProperty("attributes").EnumerateArray().Any(a => a.GetProperty("name").GetString() == "sewerage");
        Assert.True(Lists(await JsonAsync(await anonymous.GetAsync(new Uri("/api/config", UriKind.Relative)))));
        using (var response = await PutAsync(admin, "/api/sensitivity/attributes/sewerage", """{"level":"signed_in"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("signed_in", (await JsonAsync(response)).GetProperty("level").GetString());
        }
        Assert.False(Lists(await JsonAsync(await anonymous.GetAsync(new Uri("/api/config", UriKind.Relative)))));
        using (var layer = await anonymous.GetAsync(new Uri("/api/layers/settlements/summary?sewerage=none", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, layer.StatusCode);
            Assert.True((await JsonAsync(layer)).GetProperty("errors").TryGetProperty("sewerage", out _));
        }
        var settings = await JsonAsync(await admin.GetAsync(new Uri("/api/sensitivity/", UriKind.Relative)));
        Assert.Equal("signed_in", settings.GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "sewerage").GetProperty("level").GetString());
        var change = settings.GetProperty("changes").EnumerateArray().First();
        Assert.Equal("attribute:sewerage", change.GetProperty("subject").GetString());
        Assert.Equal("admin", change.GetProperty("changed_by").GetString());
        Assert.Equal("public", change.GetProperty("before").GetProperty("level").GetString());
        Assert.Equal("signed_in", change.GetProperty("after").GetProperty("level").GetString());

        // Setting the same level again writes nothing.
        using (var again = await PutAsync(admin, "/api/sensitivity/attributes/sewerage", """{"level":"signed_in"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        await using var db = app.CreateContext();
        Assert.Equal(1, await db.SensitivityChanges.CountAsync(c => c.Subject == "attribute:sewerage"));
        await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM sensitivity_changes"));
        await PutAsync(admin, "/api/sensitivity/attributes/sewerage", """{"level":"public"}""");
    }

    [Theory]
    [InlineData("/api/sensitivity/attributes/no_such_thing", """{"level":"public"}""", HttpStatusCode.NotFound, "")]
    [InlineData("/api/sensitivity/attributes/name_latn", """{"level":"signed_in"}""", HttpStatusCode.BadRequest, "level")]
    [InlineData("/api/sensitivity/attributes/heating", """{"level":"secret"}""", HttpStatusCode.BadRequest, "level")]
    [InlineData("/api/sensitivity/generalisation", """{"enabled":true,"threshold":0,"radius_m":500}""", HttpStatusCode.BadRequest, "threshold")]
    [InlineData("/api/sensitivity/generalisation", """{"enabled":true,"threshold":100,"radius_m":99999}""", HttpStatusCode.BadRequest, "radius_m")]
    [InlineData("/api/sensitivity/generalisation", """{"threshold":100,"radius_m":500}""", HttpStatusCode.BadRequest, "enabled")]
    public async Task Bad_settings_are_refused_naming_the_field(string url, string body, HttpStatusCode status, string field)
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        using var response = await PutAsync(admin, url, body);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        if (field.Length > 0)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }
        else
        {
            Assert.Equal("attribute", problem.GetProperty("parameter").GetString());
        }
    }

    [Fact]
    public async Task The_generalisation_is_audited_and_reaches_the_public_view()
    {
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        using var anonymous = await Edits.ClientAsync(app, null);
        var config = await JsonAsync(await anonymous.GetAsync(new Uri("/api/config", UriKind.Relative)));
        Assert.Equal(100, config.GetProperty("generalisation").GetProperty("threshold").GetInt32());
        using (var response = await PutAsync(admin, "/api/sensitivity/generalisation", """{"enabled":true,"threshold":250,"radius_m":800}"""))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        config = await JsonAsync(await anonymous.GetAsync(new Uri("/api/config", UriKind.Relative)));
        Assert.Equal(250, config.GetProperty("generalisation").GetProperty("threshold").GetInt32());
        Assert.Equal(800, config.GetProperty("generalisation").GetProperty("radius_m").GetInt32());
        // Signed-in viewers are never generalised.
        Assert.Equal(JsonValueKind.Null, (await JsonAsync(await admin.GetAsync(new Uri("/api/config", UriKind.Relative)))).GetProperty("generalisation").ValueKind);
        await using var db = app.CreateContext();
        var change = await db.SensitivityChanges.OrderByDescending(c => c.Id).FirstAsync(c => c.Subject == "generalisation");
        Assert.Contains("\"threshold\": 250", change.After!, StringComparison.Ordinal);
        await PutAsync(admin, "/api/sensitivity/generalisation", """{"enabled":true,"threshold":100,"radius_m":500}""");
    }

    [Fact]
    public async Task A_moved_point_is_the_same_at_every_request_and_lies_between_half_the_radius_and_the_radius()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT min(d), max(d), bool_and(same) FROM (
                SELECT ST_Distance(disclosed_point(s.id, s.centroid)::geography, s.centroid::geography) AS d,
                       ST_Equals(disclosed_point(s.id, s.centroid), disclosed_point(s.id, s.centroid)) AS same
                FROM settlements s) x
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.InRange(reader.GetDouble(0), 249, 501);
        Assert.InRange(reader.GetDouble(1), 249, 501);
        Assert.True(reader.GetBoolean(2));
    }
}
