using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data.Demo;
using SettlementMap.Web.Data.Scale;

namespace SettlementMap.Tests.Data.Scale;

/// <summary>The real loader against the test server: binary COPY, the table's CHECKs, re-runs that replace.</summary>
public sealed class ScaleLoaderTests(DemoDatabaseFixture database) : IClassFixture<DemoDatabaseFixture>
{
    private const string Fingerprint =
        "SELECT md5(string_agg(code || ' ' || municipality_id || ' ' || ST_AsText(geom), ',' ORDER BY code)) FROM settlements WHERE code LIKE 'SCALE-%'";

    private const string IndexDefinitions = "SELECT indexdef FROM pg_indexes WHERE tablename = 'settlements' ORDER BY indexname";

    [Fact]
    public async Task Loads_valid_searchable_settlements_and_a_second_run_with_the_same_seed_leaves_the_same_rows()
    {
        var cs = database.ConnectionString;
        var demoSettlements = await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlements");
        var indexes = await Sql.ColumnAsync(cs, IndexDefinitions);
        await using var dataSource = DataSource(cs);
        long lastProgress = 0;
        var loader = new ScaleLoader(dataSource, new DemoFiles(PostgisServer.Paths)) { Progress = n => lastProgress = n };

        var first = await loader.LoadAsync(20260101, 2000, ScaleRegion.Serbia);
        Assert.Equal(2000, first.Count);
        Assert.Equal(2000, lastProgress);
        Assert.False(first.LoadedDemoBoundaries);
        Assert.Equal(2000L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlements WHERE code LIKE 'SCALE-%'"));
        Assert.Equal(demoSettlements, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlements WHERE code NOT LIKE 'SCALE-%'"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs,
            "SELECT count(*) FROM settlements WHERE code LIKE 'SCALE-%' AND (NOT ST_IsValid(geom) OR ST_IsEmpty(geom) OR NOT ST_IsPolygonCCW(geom) OR search_key = '')"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs,
            "SELECT count(*) FROM settlements s JOIN municipalities m ON m.id = s.municipality_id WHERE s.code LIKE 'SCALE-%' AND NOT ST_Within(s.geom, m.geom)"));
        // The generated columns are the database's, computed from what was written.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs,
            "SELECT count(*) FROM settlements WHERE code LIKE 'SCALE-%' AND (centroid IS NULL OR area_m2 NOT BETWEEN 4000 AND 800000)"));
        Assert.Equal("naselje 17", await Sql.ScalarAsync<string>(cs, "SELECT search_key FROM settlements WHERE code = 'SCALE-0000017'"));
        var hash = await Sql.ScalarAsync<string>(cs, Fingerprint);

        var second = await loader.LoadAsync(20260101, 2000, ScaleRegion.Serbia);
        Assert.Equal(2000, second.RemovedEarlier);
        Assert.Equal(2000L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlements WHERE code LIKE 'SCALE-%'"));
        Assert.Equal(hash, await Sql.ScalarAsync<string>(cs, Fingerprint));
        // The secondary indexes dropped for the load are back, as they were.
        Assert.Equal(indexes, await Sql.ColumnAsync(cs, IndexDefinitions));
        Assert.Contains(indexes, d => d.Contains("USING gist (geom)", StringComparison.Ordinal));

        var otherSeed = await loader.LoadAsync(1, 2000, ScaleRegion.Serbia);
        Assert.Equal(2000, otherSeed.RemovedEarlier);
        Assert.NotEqual(hash, await Sql.ScalarAsync<string>(cs, Fingerprint));
    }

    private static NpgsqlDataSource DataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        return builder.Build();
    }
}

/// <summary>From a bare database: migrations, the demo boundaries without the demo settlements, the cee mode.</summary>
public sealed class ScaleLoaderFromScratchTests(BareDatabaseFixture database) : IClassFixture<BareDatabaseFixture>
{
    [Fact]
    public async Task Migrates_loads_the_boundaries_keeps_only_generated_settlements_and_replaces_them_on_a_rerun()
    {
        var cs = database.ConnectionString;
        var builder = new NpgsqlDataSourceBuilder(cs);
        builder.UseNetTopologySuite();
        await using var dataSource = builder.Build();
        var loader = new ScaleLoader(dataSource, new DemoFiles(PostgisServer.Paths));

        var first = await loader.LoadAsync(11, 300, ScaleRegion.Cee);
        Assert.True(first.LoadedDemoBoundaries);
        Assert.InRange(await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM municipalities"), 120, 200);
        Assert.Equal(300L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlements"));
        Assert.Equal(300L, await Sql.ScalarAsync<long>(cs,
            "SELECT count(*) FROM settlements WHERE code LIKE 'SCALE-%' AND ST_Within(geom, ST_MakeEnvelope(12, 42, 30, 52, 4326)) AND ST_IsValid(geom)"));

        var second = await loader.LoadAsync(11, 120, ScaleRegion.Serbia);
        Assert.False(second.LoadedDemoBoundaries);
        Assert.Equal(300, second.RemovedEarlier);
        Assert.Equal(120L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlements"));
        // The point-tile table and the layer's kept properties followed the TRUNCATE and the COPY (their triggers), row for row.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.SettlementPointsOutOfStep));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.LayerPropertiesOutOfStep));
        // The load wrote the kept properties itself, with their trigger off; the trigger is on again after it.
        await Sql.ScalarAsync<int>(cs, "UPDATE settlements SET name_latn = 'Renamed' WHERE id = (SELECT min(id) FROM settlements); SELECT 1");
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.LayerPropertiesOutOfStep));
        // And its pyramid was rebuilt once at the commit (the COPY batches queued it), not left at the default 12.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, Sql.PointPyramidOutOfStep));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM point_pyramid_queue"));
        Assert.Equal("synthetic scale data (seed 11)", await Sql.ScalarAsync<string>(cs, "SELECT DISTINCT source FROM settlements"));
    }
}
