using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Web.Http;

namespace SettlementMap.Tests.Tiles;

/// <summary>
/// ETags on layers and tiles: a repeat answers 304, and an edit changes every affected ETag; the
/// server's response cache serves the same bytes and never a copy older than the last edit.
/// </summary>
public sealed class CachingAndTilesTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    /// <summary>About something else than who sees what: every attribute public, nothing generalised.</summary>
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    // Niš at zoom 7 and 12 (Web Mercator tile numbers of 21.9 E, 43.32 N).
    private const string NisTileZ7 = "/tiles/settlements/7/71/46.mvt";
    private const string NisTileZ12 = "/tiles/settlements/12/2297/1499.mvt";

    private async Task<(HttpStatusCode Status, string? ETag, byte[] Body, string? CacheControl)> GetAsync(string path, string? ifNoneMatch = null) =>
        (await GetWithTypeAsync(path, ifNoneMatch)).Response;

    private async Task<((HttpStatusCode Status, string? ETag, byte[] Body, string? CacheControl) Response, string? ContentType)> GetWithTypeAsync(string path, string? ifNoneMatch = null)
    {
        using var client = app.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
        }
        using var response = await client.SendAsync(request);
        return ((response.StatusCode, response.Headers.ETag?.ToString(), await response.Content.ReadAsByteArrayAsync(), response.Headers.CacheControl?.ToString()),
            response.Content.Headers.ContentType?.ToString());
    }

    [Theory]
    [InlineData("/api/layers/settlements?municipality=nis", "/api/layers/settlements?municipality=nis&water_supply=none")]
    [InlineData("/api/layers/municipalities?zoom=8", "/api/layers/municipalities?zoom=7")]
    [InlineData("/api/layers/coverage?as_of=2024-01-01", "/api/layers/coverage?as_of=2024-01-02")]
    [InlineData(NisTileZ7, NisTileZ7 + "?water_supply=none")]
    [InlineData(NisTileZ12, NisTileZ12 + "?water_supply=none")]
    public async Task A_repeat_with_the_ETag_answers_304_without_a_body(string path, string otherPath)
    {
        var (status, etag, body, cacheControl) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(etag);
        Assert.Equal("no-cache", cacheControl);
        Assert.NotEmpty(body);
        var again = await GetAsync(path, etag);
        Assert.Equal(HttpStatusCode.NotModified, again.Status);
        Assert.Empty(again.Body);
        Assert.Equal(etag, again.ETag);
        // Another query is another resource, with another tag.
        var other = await GetAsync(otherPath, etag);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.NotEqual(etag, other.ETag);
    }

    private static readonly string[] AffectedPaths = ["/api/layers/settlements", "/api/layers/municipalities?zoom=8", NisTileZ7, NisTileZ12];

    // A settlement drawn in NisTileZ12 (and so in NisTileZ7, which holds it): tiles follow only the edits that reach them.
    private const string InNisTileZ12 = "SELECT min(id) AS \"Value\" FROM settlements WHERE geom && ST_Transform(ST_TileEnvelope(12, 2297, 1499), 4326)";

    // Belgrade at zoom 10, some 200 km from Niš.
    private const string BelgradeTileZ10 = "/tiles/settlements/10/570/369.mvt";

    private async Task<Dictionary<string, string?>> ETagsAsync()
    {
        var etags = new Dictionary<string, string?>();
        foreach (var path in AffectedPaths)
        {
            etags[path] = (await GetAsync(path)).ETag;
        }
        return etags;
    }

    /// <summary>Each affected path answers a conditional request with its old ETag by a 200 and a new tag.</summary>
    private async Task AssertEveryETagChangedAsync(Dictionary<string, string?> before)
    {
        foreach (var path in AffectedPaths)
        {
            var after = await GetAsync(path, before[path]);
            Assert.Equal(HttpStatusCode.OK, after.Status);
            Assert.NotEqual(before[path], after.ETag);
        }
    }

    [Fact]
    public async Task An_edit_changes_the_ETag_of_the_layers_and_tiles_it_affects()
    {
        var before = await ETagsAsync();
        // Through the app's own DbContext, as the editing API saves: seen by the very next request.
        using (var scope = app.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SettlementMapDbContext>();
            var settlement = await db.Settlements.SingleAsync(s => s.Id == db.Database.SqlQueryRaw<long>(InNisTileZ12).Single());
            settlement.WaterSupply = settlement.WaterSupply == WaterSupply.None ? WaterSupply.Wells : WaterSupply.None;
            await db.SaveChangesAsync();
        }
        await AssertEveryETagChangedAsync(before);
    }

    [Fact]
    public async Task An_edit_leaves_the_ETag_of_the_tiles_it_does_not_reach()
    {
        var far = await GetAsync(BelgradeTileZ10);
        Assert.NotEmpty(far.Body); // Belgrade's settlements are drawn there
        var near = await GetAsync(NisTileZ12);
        using (var scope = app.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SettlementMapDbContext>();
            var settlement = await db.Settlements.SingleAsync(s => s.Id == db.Database.SqlQueryRaw<long>(InNisTileZ12).Single());
            settlement.Sewerage = settlement.Sewerage == Sewerage.None ? Sewerage.Septic : Sewerage.None;
            await db.SaveChangesAsync();
        }
        Assert.NotEqual(near.ETag, (await GetAsync(NisTileZ12)).ETag);
        // Belgrade's tile: the same tag, so the browser's copy is still good (304), and the server's copy
        // (keyed by the tag) is served again.
        var again = await GetAsync(BelgradeTileZ10, far.ETag);
        Assert.Equal(HttpStatusCode.NotModified, again.Status);
        Assert.Equal(far.ETag, again.ETag);
        Assert.Equal(far.Body, (await GetAsync(BelgradeTileZ10)).Body);
        // The logged area is the edit's, in EPSG:3857 around Niš (21.9° E ≈ 2.44e6 m), at the version the edit made.
        Assert.Equal(1L, await Sql.ScalarAsync<long>(app.ConnectionString, """
            SELECT count(*) FROM settlement_edit_areas a JOIN layer_versions v ON v.layer = 'settlements' AND a.version = v.version
            WHERE a.min_x BETWEEN 2.3e6 AND 2.5e6
            """));
    }

    [Fact]
    public async Task A_write_from_outside_the_app_changes_the_ETags_when_PostgreSQLs_notification_arrives()
    {
        var before = await ETagsAsync();
        // Another client (psql, another instance): only the layer_versions notification tells the app.
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand(
                $"UPDATE settlements SET households = COALESCE(households, 0) + 1 WHERE id = ({InNisTileZ12})",
                connection);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await GetAsync(AffectedPaths[0])).ETag == before[AffectedPaths[0]] && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the ETag changed after the outside write");
        await AssertEveryETagChangedAsync(before);
    }

    [Fact]
    public async Task Once_the_listener_runs_an_unchanged_layer_costs_no_version_query()
    {
        var versions = app.Factory.Services.GetRequiredService<LayerVersions>();
        for (var i = 0; i < 250 && !versions.Listening; i++)
        {
            await Task.Delay(20);
        }
        Assert.True(versions.Listening, "the layer_versions listener is connected");
        var first = await GetAsync(NisTileZ12);
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database;
        var statements = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using (var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                // Other test classes run beside this one, each on a database of its own.
                if (Equals(activity.GetTagItem("db.namespace") ?? activity.GetTagItem("db.name"), database))
                {
                    statements.Enqueue(activity.GetTagItem("db.query.text") as string ?? activity.DisplayName);
                }
            },
        })
        {
            ActivitySource.AddActivityListener(listener);
            var again = await GetAsync(NisTileZ12, first.ETag);
            Assert.Equal(HttpStatusCode.NotModified, again.Status);
            var repeat = await GetAsync(NisTileZ12);
            Assert.Equal(first.Body, repeat.Body);
        }
        // The 304 and the repeat from the response cache sent nothing to PostgreSQL at all.
        Assert.Empty(statements);
    }

    [Fact]
    public async Task The_point_tiles_table_follows_every_insert_update_and_delete_of_settlements()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        async Task<long> ScalarAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        // The demo data went in after the migration: every row came through the insert trigger.
        Assert.True(await ScalarAsync("SELECT count(*) FROM settlement_points") > 500);
        Assert.Equal(0, await ScalarAsync(Sql.SettlementPointsOutOfStep));
        var moved = await ScalarAsync("SELECT min(id) FROM settlements");
        var deleted = await ScalarAsync("SELECT max(id) FROM settlements");
        Assert.Equal(1, await ScalarAsync($"WITH u AS (UPDATE settlements SET geom = ST_Translate(geom, 0.001, 0), water_supply = 'none', estimated_inhabitants = 4321 WHERE id = {moved} RETURNING 1) SELECT count(*) FROM u"));
        Assert.Equal(1, await ScalarAsync($"WITH d AS (DELETE FROM settlements WHERE id = {deleted} RETURNING 1) SELECT count(*) FROM d"));
        Assert.Equal(0, await ScalarAsync(Sql.SettlementPointsOutOfStep));
        Assert.Equal(4321, await ScalarAsync($"SELECT estimated_inhabitants FROM settlement_points WHERE id = {moved}"));
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM settlement_points WHERE id = {deleted}"));
    }

    [Fact]
    public async Task The_layers_kept_properties_follow_writes_to_settlements_municipalities_and_districts()
    {
        var cs = app.ConnectionString;
        // The demo data went in after the migration: every row came through the insert trigger.
        Assert.Equal(await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlements"), await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlement_layer_properties"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.LayerPropertiesOutOfStep));
        var edited = await Sql.ScalarAsync<long>(cs, "SELECT min(id) + 1 FROM settlements");
        var deleted = await Sql.ScalarAsync<long>(cs, "SELECT max(id) - 1 FROM settlements");
        var municipality = await Sql.ScalarAsync<string>(cs, $"SELECT m.code FROM settlements s JOIN municipalities m ON m.id = s.municipality_id WHERE s.id = {edited}");
        const string Name = "Novo \"ime\" \\ 2";
        try
        {
            await Sql.ScalarAsync<int>(cs, $"""
                UPDATE settlements SET name_latn = '{Name}', estimated_inhabitants = 777 WHERE id = {edited};
                DELETE FROM settlements WHERE id = {deleted};
                UPDATE municipalities SET name_cyrl = name_cyrl || ' (тест)' WHERE code = '{municipality}';
                UPDATE districts SET code = code || '-t' WHERE id = (SELECT district_id FROM municipalities WHERE code = '{municipality}');
                SELECT 1
                """);
            Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.LayerPropertiesOutOfStep));
            Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, $"SELECT count(*) FROM settlement_layer_properties WHERE id = {deleted}"));

            // What the layer sends: the kept object, with the edit and the place's new names (once the app has
            // heard of the outside write: until then it may answer from its cache).
            async Task<JsonElement> EditedPropertiesAsync()
            {
                var (status, _, body, _) = await GetAsync($"/api/layers/settlements?municipality={municipality}");
                Assert.Equal(HttpStatusCode.OK, status);
                using var layer = JsonDocument.Parse(body);
                return layer.RootElement.GetProperty("features").EnumerateArray()
                    .Single(f => f.GetProperty("id").GetInt64() == edited).GetProperty("properties").Clone();
            }
            var waited = Stopwatch.StartNew();
            var properties = await EditedPropertiesAsync();
            while (properties.GetProperty("name_latn").GetString() != Name && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
                properties = await EditedPropertiesAsync();
            }
            Assert.Equal(Name, properties.GetProperty("name_latn").GetString());
            Assert.Equal(777, properties.GetProperty("estimated_inhabitants").GetInt32());
            Assert.EndsWith(" (тест)", properties.GetProperty("municipality_name_cyrl").GetString(), StringComparison.Ordinal);
            Assert.EndsWith("-t", properties.GetProperty("district_code").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await Sql.ScalarAsync<int>(cs, $"""
                UPDATE municipalities SET name_cyrl = replace(name_cyrl, ' (тест)', '') WHERE code = '{municipality}';
                UPDATE districts SET code = left(code, -2) WHERE code LIKE '%-t';
                SELECT 1
                """);
        }
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.LayerPropertiesOutOfStep));
    }

    [Fact]
    public async Task The_point_pyramid_follows_edits_each_transaction_commits()
    {
        var prefix = $"PYR-{Guid.NewGuid():N}"[..14];
        Task<long> ScalarAsync(string sql) => Sql.ScalarAsync<long>(app.ConnectionString, sql);
        MultiPolygon Moved(Geometry geometry, double dx) =>
            (MultiPolygon)new NetTopologySuite.Geometries.Utilities.AffineTransformation().Translate(dx, 0).Transform(geometry);
        long largest;
        await using (var db = app.CreateContext())
        {
            // One transaction, several statements (EF sends one INSERT a row): three beside an existing settlement,
            // one of them larger than any settlement anywhere, so it wins its cell at every zoom.
            var beside = await db.Settlements.AsNoTracking().OrderBy(s => s.Id).FirstAsync();
            var added = Enumerable.Range(0, 3).Select(i => new Settlement
            {
                Code = $"{prefix}-{i}", NameLatn = "Piramida", NameCyrl = "Пирамида", Source = "test", MunicipalityId = beside.MunicipalityId,
                Geom = Moved(beside.Geom, 0.002 * i), EstimatedInhabitants = i == 2 ? 50_000_000 : beside.EstimatedInhabitants,
            }).ToList();
            db.Settlements.AddRange(added);
            await db.SaveChangesAsync();
            largest = added[2].Id;
        }
        Assert.Equal(0, await ScalarAsync(Sql.PointPyramidOutOfStep));
        Assert.Equal(0, await ScalarAsync($"SELECT min_zoom::bigint FROM settlement_points WHERE id = {largest}"));

        await using (var db = app.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var ours = await db.Settlements.Where(s => s.Code.StartsWith(prefix)).OrderBy(s => s.Code).ToListAsync();
            ours[0].Geom = Moved(ours[0].Geom, 0.5); // moved to another cell at every zoom from about 6 on
            ours[1].EstimatedInhabitants = null; // weighed last in its cells
            await db.SaveChangesAsync();
            db.Settlements.Remove(ours[2]); // the largest goes: every cell it won has a new winner
            await db.SaveChangesAsync();
            // Nothing is worked out before the commit: the queue holds the transaction's changes, a row a statement,
            // and one of them carries the commit-time event for all.
            Assert.True(await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM point_pyramid_queue").SingleAsync() >= 3);
            Assert.Equal(1, await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM point_pyramid_queue WHERE starts_transaction").SingleAsync());
            await transaction.CommitAsync();
        }
        Assert.Equal(0, await ScalarAsync(Sql.PointPyramidOutOfStep));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM point_pyramid_queue"));
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM settlement_points WHERE id = {largest}"));

        await using (var db = app.CreateContext())
        {
            await db.Settlements.Where(s => s.Code.StartsWith(prefix)).ExecuteDeleteAsync();
        }
        Assert.Equal(0, await ScalarAsync(Sql.PointPyramidOutOfStep));
    }

    [Theory]
    [InlineData(5, 17, 11, null)]
    [InlineData(7, 71, 46, null)]
    [InlineData(9, 287, 187, null)]
    [InlineData(11, 1148, 749, null)]
    // As of a day, the pyramid through time (settlement_point_winners) against the winners worked out per request.
    [InlineData(5, 17, 11, "2016-06-01")]
    [InlineData(7, 71, 46, "2019-01-01")]
    [InlineData(9, 287, 187, "2023-05-01")]
    [InlineData(11, 1148, 749, "2025-01-01")]
    public async Task An_unfiltered_point_tile_from_the_pyramid_draws_the_settlements_a_filter_that_keeps_all_would(int z, int x, int y, string? day)
    {
        var none = new Web.Features.Settlements.SettlementFilter(null, null, null, null, null, null, null, null, null, null, null, null, null,
            Time: day is null ? null : Web.Features.History.SettlementTime.Instant(
                Web.Features.History.SettlementTime.EndOf(DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));
        // Every water supply: the filtered SQL (winners worked out per cell in the query), the same settlements.
        var all = none with { WaterSupply = Enum.GetValues<WaterSupply>().Select(EnumText.ToText).ToArray() };
        async Task<long[]> IdsAsync(Web.Features.Settlements.SettlementFilter filter)
        {
            var (sql, parameters) = Web.Features.Tiles.TileSql.Settlements(z, x, y, filter);
            var ids = sql.Replace($"ST_AsMVT(t.*, 'settlements', {Web.Features.Tiles.TileSql.Extent}, 'geom')", "array_agg(t.id ORDER BY t.id)", StringComparison.Ordinal);
            Assert.NotEqual(sql, ids);
            await using var connection = new NpgsqlConnection(app.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(ids, connection);
            command.Parameters.AddRange(parameters.ToArray());
            return (long[])(await command.ExecuteScalarAsync())!;
        }
        var fromPyramid = await IdsAsync(none);
        Assert.NotEmpty(fromPyramid);
        Assert.Equal(await IdsAsync(all), fromPyramid);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(14)]
    public async Task Outlines_simplified_to_a_quarter_pixel_are_the_same_features_within_a_pixel_of_a_quarter_unit_ones(int z)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        // Niš's z12 tile (2297, 1499), or the z14 tiles in it.
        var side = 1 << (z - 12);
        var (features, inOneOnly, fartherThanAPixel, vertices, quarterUnitVertices) = (0L, 0L, 0L, 0L, 0L);
        for (var x = 2297 * side; x < 2298 * side; x++)
        {
            for (var y = 1499 * side; y < 1500 * side; y++)
            {
                var (sql, parameters) = Web.Features.Tiles.TileSql.Settlements(z, x, y, new Web.Features.Settlements.SettlementFilter(null, null, null, null, null, null, null, null, null, null, null, null, null));
                var rows = sql.Replace($"ST_AsMVT(t.*, 'settlements', {Web.Features.Tiles.TileSql.Extent}, 'geom')", "t.id, t.geom", StringComparison.Ordinal);
                Assert.NotEqual(sql, rows);
                // Each feature's geometry (in tile units: 16 a pixel of a 256-pixel tile) lies within a pixel of the other.
                await using var command = new NpgsqlCommand($"""
                    WITH now AS ({rows}), quarter_unit AS ({rows.Replace("@tolerance", "@quarter_unit", StringComparison.Ordinal)})
                    SELECT count(*), count(*) FILTER (WHERE now.id IS NULL OR quarter_unit.id IS NULL),
                        count(*) FILTER (WHERE NOT (ST_Covers(ST_Buffer(now.geom, 16), quarter_unit.geom) AND ST_Covers(ST_Buffer(quarter_unit.geom, 16), now.geom))),
                        coalesce(sum(ST_NPoints(now.geom)), 0), coalesce(sum(ST_NPoints(quarter_unit.geom)), 0)
                    FROM now FULL JOIN quarter_unit USING (id)
                    """, connection);
                command.Parameters.AddRange(parameters.ToArray());
                command.Parameters.AddWithValue("quarter_unit", 360.0 / (1 << z) / Web.Features.Tiles.TileSql.Extent / 4);
                await using var result = await command.ExecuteReaderAsync();
                Assert.True(await result.ReadAsync());
                features += result.GetInt64(0);
                inOneOnly += result.GetInt64(1);
                fartherThanAPixel += result.GetInt64(2);
                vertices += result.GetInt64(3);
                quarterUnitVertices += result.GetInt64(4);
            }
        }
        Assert.True(features > 0, "the tiles have outlines");
        Assert.Equal(0, inOneOnly);
        Assert.Equal(0, fartherThanAPixel);
        Assert.True(vertices < quarterUnitVertices, $"fewer vertices: {vertices} against {quarterUnitVertices}");
    }

    [Fact]
    public void The_maps_database_built_endpoints_wait_behind_the_map_query_limiter_and_exports_do_not()
    {
        var endpoints = app.Factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints;
        string? Policy(string name) => endpoints.Single(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IEndpointNameMetadata>()?.EndpointName == name)
            .Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>()?.PolicyName;
        foreach (var name in new[] { "GetSettlementsLayer", "GetSettlementsSummary", "GetMunicipalitiesLayer", "GetSettlementTile" })
        {
            Assert.Equal(MapQueryLimiter.PolicyName, Policy(name));
        }
        Assert.Null(Policy("ExportSettlements"));
    }

    [Fact]
    public async Task Tiles_are_MVT_with_points_below_city_zoom_and_outlines_from_it_and_take_the_layer_filters()
    {
        var z7 = await GetAsync(NisTileZ7);
        var z12 = await GetAsync(NisTileZ12);
        // The tile is an MVT with our layer name in it; a filter narrows it.
        Assert.True(z7.Body.AsSpan().IndexOf("settlements"u8) >= 0, "the MVT names its layer 'settlements'");
        Assert.True(z12.Body.AsSpan().IndexOf("settlements"u8) >= 0);
        var filtered = await GetAsync(NisTileZ7 + "?water_supply=network");
        Assert.True(filtered.Body.Length < z7.Body.Length, "a filter leaves fewer settlements in the tile");
        var bad = await GetAsync("/tiles/settlements/7/200/46.mvt");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        var unknown = await GetAsync(NisTileZ7 + "?colour=red");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
    }

    [Theory]
    // URLs no other test here asks for, so the first request is built by the handler.
    [InlineData("/api/layers/settlements?bbox=21.80,43.25,22.05,43.40&zoom=14")]
    [InlineData("/api/layers/settlements/summary?theme=water_supply&water_supply=wells,none,network")]
    [InlineData("/api/layers/municipalities?zoom=9")]
    [InlineData(NisTileZ7 + "?water_supply=wells,none,network")]
    [InlineData(NisTileZ12 + "?water_supply=wells,none,network")]
    public async Task A_cached_response_is_byte_identical_to_the_one_the_handler_built(string path)
    {
        var cache = app.Factory.Services.GetRequiredService<ResponseCache>();
        Assert.True(cache.Enabled);
        // The first request of this URL at this version is built by the handler (and copied on its way out).
        var built = await GetWithTypeAsync(path);
        Assert.Equal(HttpStatusCode.OK, built.Response.Status);
        Assert.NotEmpty(built.Response.Body);
        Assert.True(cache.TryGet(built.Response.ETag!, out var entry), "the response is kept under its ETag");
        Assert.Equal(built.Response.Body, entry!.Body);
        // The repeat comes from the cache: the same bytes, media type and caching headers.
        var served = await GetWithTypeAsync(path);
        Assert.Equal(HttpStatusCode.OK, served.Response.Status);
        Assert.Equal(built.Response.Body, served.Response.Body);
        Assert.Equal(built.ContentType, served.ContentType);
        Assert.Equal(built.Response.ETag, served.Response.ETag);
        Assert.Equal("no-cache", served.Response.CacheControl);
        // A conditional repeat is still a 304 without a body.
        var conditional = await GetAsync(path, built.Response.ETag);
        Assert.Equal(HttpStatusCode.NotModified, conditional.Status);
        Assert.Empty(conditional.Body);
    }

    [Fact]
    public async Task After_an_edit_the_new_content_is_served_not_the_cached_copy()
    {
        const string layer = "/api/layers/settlements?zoom=12";
        const string summary = "/api/layers/settlements/summary?theme=water_supply";
        var paths = new[] { layer, summary, NisTileZ7, NisTileZ12 };
        var before = new Dictionary<string, (string? ETag, byte[] Body)>();
        foreach (var path in paths)
        {
            await GetAsync(path);
            var cached = await GetAsync(path); // now from the cache
            before[path] = (cached.ETag, cached.Body);
        }
        // A settlement drawn in the z12 tile (tiles carry water_supply), its water supply changed.
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using (var inTile = new NpgsqlCommand("SELECT min(id) FROM settlements WHERE geom && ST_Transform(ST_TileEnvelope(12, 2297, 1499), 4326)", connection))
        {
            var id = (long)(await inTile.ExecuteScalarAsync())!;
            await using var db = app.CreateContext();
            var settlement = await db.Settlements.SingleAsync(s => s.Id == id);
            settlement.WaterSupply = settlement.WaterSupply == WaterSupply.None ? WaterSupply.Wells : WaterSupply.None;
            await db.SaveChangesAsync();

            using var document = JsonDocument.Parse((await GetAsync(layer)).Body);
            var edited = document.RootElement.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("id").GetInt64() == id);
            Assert.Equal(EnumText.ToText(settlement.WaterSupply), edited.GetProperty("properties").GetProperty("water_supply").GetString());
        }
        foreach (var path in paths)
        {
            var after = await GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, after.Status);
            Assert.NotEqual(before[path].ETag, after.ETag);
            if (path != NisTileZ7)
            {
                Assert.NotEqual(before[path].Body, after.Body);
            }
        }
        // At z7 the settlement may be one under another's point (one a few-pixel cell), so the tile
        // may not change; it is what the tile SQL builds from the database now.
        var (sql, parameters) = Web.Features.Tiles.TileSql.Settlements(7, 71, 46, new Web.Features.Settlements.SettlementFilter(null, null, null, null, null, null, null, null, null, null, null, null, null));
        await using var build = new NpgsqlCommand(sql, connection);
        build.Parameters.AddRange(parameters.ToArray());
        Assert.Equal((byte[])(await build.ExecuteScalarAsync())!, (await GetAsync(NisTileZ7)).Body);
    }

    [Fact]
    public async Task The_apps_connections_run_without_JIT_and_prepare_repeated_statements()
    {
        var dataSource = app.Factory.Services.GetRequiredService<NpgsqlDataSource>();
        await using var command = dataSource.CreateCommand("SHOW jit");
        Assert.Equal("off", await command.ExecuteScalarAsync());
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Assert.True(settings.MaxAutoPrepare > 0);
        Assert.Equal(2, settings.AutoPrepareMinUsages);
        Assert.True(settings.NoResetOnClose, "pooled connections carry no session state to reset");
    }

    [Theory]
    [InlineData("Host=h;Database=d", true)]
    [InlineData("Host=h;Database=d;No Reset On Close=false", false)]
    [InlineData("Host=h;Database=d;NoResetOnClose=False", false)]
    public void A_reset_setting_the_connection_string_gives_is_kept(string connectionString, bool noReset)
    {
        var settings = new NpgsqlConnectionStringBuilder(Web.Database.DatabaseRegistration.WithQuerySettings(connectionString));
        Assert.Equal(noReset, settings.NoResetOnClose);
        Assert.Contains("jit=off", settings.Options, StringComparison.Ordinal);
    }
}
