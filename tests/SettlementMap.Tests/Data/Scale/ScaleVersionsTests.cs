using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data.Demo;
using SettlementMap.Web.Data.Scale;

namespace SettlementMap.Tests.Data.Scale;

/// <summary>generate-scale --versions: about V versions a settlement, contiguous, the last open and equal to the row, the same on a rerun.</summary>
public sealed class ScaleVersionsTests(EmptyDatabaseFixture database) : IClassFixture<EmptyDatabaseFixture>
{
    private const string Fingerprint =
        "SELECT md5(string_agg(code || ' ' || valid::text || ' ' || water_supply || ' ' || coalesce(estimated_inhabitants, -1), ',' ORDER BY code, lower(valid))) FROM settlement_versions";

    [Fact]
    public async Task Each_settlement_gets_about_five_contiguous_versions_ending_in_its_row()
    {
        var cs = database.ConnectionString;
        var builder = new NpgsqlDataSourceBuilder(cs);
        builder.UseNetTopologySuite();
        await using var dataSource = builder.Build();
        var loader = new ScaleLoader(dataSource, new DemoFiles(PostgisServer.Paths));

        await loader.LoadAsync(20260101, 1500, ScaleRegion.Serbia, versions: 5);
        Assert.Equal(1500L, await Sql.ScalarAsync<long>(cs, "SELECT count(DISTINCT id) FROM settlement_versions"));
        Assert.InRange(await Sql.ScalarAsync<decimal>(cs, "SELECT count(*)::numeric / count(DISTINCT id) FROM settlement_versions"), 4.6m, 5.4m);
        Assert.Equal(9, await Sql.ScalarAsync<int>(cs, "SELECT max(n)::int FROM (SELECT count(*) n FROM settlement_versions GROUP BY id) x"));
        // Contiguous: each period begins where the one before it ended; one open period, the last.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, """
            SELECT count(*) FROM (SELECT valid, lag(upper(valid)) OVER w AS previous_end, lead(lower(valid)) OVER w AS next_start
                                  FROM settlement_versions WINDOW w AS (PARTITION BY id ORDER BY lower(valid))) x
            WHERE (previous_end IS NOT NULL AND previous_end <> lower(valid)) OR (next_start IS NULL) <> upper_inf(valid)
            """));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlement_versions WHERE lower(valid) < '2016-01-01' OR lower(valid) >= '2026-01-01'"));
        // The open version is the row, column for column.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs,
            "SELECT count(*) FROM settlements s FULL JOIN settlements_as_of('infinity') v ON v.id = s.id WHERE v.id IS NULL OR s.id IS NULL OR (s.*)::text <> (v.*)::text"));
        // Earlier versions differ from it (what an as-of query has to tell apart).
        Assert.True(await Sql.ScalarAsync<long>(cs,
            "SELECT count(*) FROM settlement_versions v JOIN settlements s USING (id) WHERE NOT upper_inf(v.valid) AND v.water_supply <> s.water_supply") > 1000);
        var hash = await Sql.ScalarAsync<string>(cs, Fingerprint);

        // A rerun replaces the history of the earlier rows with the same one; without --versions each has one.
        await loader.LoadAsync(20260101, 1500, ScaleRegion.Serbia, versions: 5);
        Assert.Equal(hash, await Sql.ScalarAsync<string>(cs, Fingerprint));
        await loader.LoadAsync(20260101, 1500, ScaleRegion.Serbia);
        Assert.Equal(1500L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlement_versions"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM settlement_versions WHERE NOT upper_inf(valid)"));
    }
}
