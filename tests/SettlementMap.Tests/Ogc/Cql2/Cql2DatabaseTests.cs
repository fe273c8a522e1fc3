using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Ogc.Cql2;
using static SettlementMap.Tests.Ogc.Cql2.Cql2TestQueryables;

namespace SettlementMap.Tests.Ogc.Cql2;

/// <summary>Translated filters run on the demo data and select exactly what the same condition in EF Core LINQ selects.</summary>
public sealed class Cql2DatabaseTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);

    // EF Core sends a geometry parameter typed like the column it meets, geometry(MultiPolygon,4326): hence multipolygons of one polygon.

    /// <summary>Around Niš: lon 21.8–22.0, lat 43.28–43.36.</summary>
    private static readonly MultiPolygon NisBox = Wgs84.CreateMultiPolygon([(Polygon)Wgs84.ToGeometry(new Envelope(21.8, 22.0, 43.28, 43.36))]);

    /// <summary>A triangle over Belgrade.</summary>
    private static readonly MultiPolygon BelgradeTriangle = Wgs84.CreateMultiPolygon([Wgs84.CreatePolygon([new(20.2, 44.6), new(20.7, 44.6), new(20.45, 45.0), new(20.2, 44.6)])]);

    /// <summary>Each CQL2 filter and the same condition in LINQ, written with SQL's three-valued logic in mind (NULL never matches).</summary>
    private static readonly Dictionary<string, (string Filter, Expression<Func<Settlement, bool>> Linq)> Cases = new()
    {
        ["like"] = ("name_latn LIKE 'B%'", s => s.NameLatn.Substring(0, 1) == "B"),
        ["and with in"] = ("estimated_inhabitants > 500 AND water_supply IN ('none', 'wells')",
            s => s.EstimatedInhabitants > 500 && (s.WaterSupply == WaterSupply.None || s.WaterSupply == WaterSupply.Wells)),
        ["between or"] = ("estimated_inhabitants BETWEEN 100 AND 300 OR flood_zone = 'yes'",
            s => (s.EstimatedInhabitants >= 100 && s.EstimatedInhabitants <= 300) || s.FloodZone == YesNo.Yes),
        ["not of a number"] = ("NOT substandard_share_pct >= 50.5", s => s.SubstandardSharePct < 50.5m),
        ["date or null"] = ("data_collected_on < DATE('2018-01-01') OR data_collected_on IS NULL",
            s => s.DataCollectedOn < new DateOnly(2018, 1, 1) || s.DataCollectedOn == null),
        ["date between"] = ("data_collected_on BETWEEN DATE('2020-01-01') AND DATE('2021-12-31')",
            s => s.DataCollectedOn >= new DateOnly(2020, 1, 1) && s.DataCollectedOn <= new DateOnly(2021, 12, 31)),
        ["not in and two properties"] = ("water_supply NOT IN ('network', 'unknown') AND households < estimated_inhabitants",
            s => s.WaterSupply != WaterSupply.Network && s.WaterSupply != WaterSupply.Unknown && s.Households < s.EstimatedInhabitants),
        ["bbox around Niš"] = ("S_INTERSECTS(geometry, BBOX(21.8, 43.28, 22.0, 43.36))", s => s.Geom.Intersects(NisBox)),
        ["polygon over Belgrade"] = ("S_INTERSECTS(POLYGON((20.2 44.6, 20.7 44.6, 20.45 45.0, 20.2 44.6)), geometry) AND NOT name_latn LIKE '%an%'",
            s => s.Geom.Intersects(BelgradeTriangle) && !s.NameLatn.Contains("an")),
        ["precedence"] = ("flood_zone = 'yes' OR water_supply = 'none' AND NOT (estimated_inhabitants <= 200 OR S_INTERSECTS(geometry, BBOX(21.8, 43.28, 22.0, 43.36)))",
            s => s.FloodZone == YesNo.Yes || (s.WaterSupply == WaterSupply.None && s.EstimatedInhabitants > 200 && !s.Geom.Intersects(NisBox))),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_translated_filter_selects_the_same_settlements_as_ef_core(string name)
    {
        var (filter, linq) = Cases[name];
        await using var db = app.CreateContext();
        var expected = await db.Settlements.Where(linq).OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();
        var total = await db.Settlements.CountAsync();

        Assert.Equal((long)expected.Count, await CountAsync(filter));
        Assert.Equal(expected, await IdsAsync(filter));
        Assert.InRange(expected.Count, 1, total - 1);
    }

    [Fact]
    public async Task Every_construct_runs_on_postgis_with_its_parameter_types()
    {
        string[] filters =
        [
            "households IN (1, 2.5, estimated_inhabitants) OR substandard_share_pct IN (10, 12.25)",
            "area_m2 > 1000 AND area_m2 < 1e9 AND substandard_share_pct <> 1e1",
            "has_plan = TRUE OR has_plan <> FALSE OR TRUE",
            "name_latn LIKE 'a\\%b\\_c\\\\%' OR name_cyrl NOT LIKE '_%'",
            "data_collected_on IN (DATE('2020-01-01'), DATE('2024-02-29')) OR data_collected_on NOT BETWEEN DATE('2000-01-01') AND DATE('2030-01-01')",
            "S_INTERSECTS(geometry, POINT(21.9 43.32)) OR S_INTERSECTS(geometry, LINESTRING(19 44, 22 43))",
            "S_INTERSECTS(geometry, MULTIPOLYGON(((21 43, 22 43, 22 44, 21 43)), ((20 45, 20.5 45, 20.5 45.5, 20 45))))",
            "S_INTERSECTS(geometry, POINT EMPTY) OR geometry IS NULL",
        ];
        foreach (var filter in filters)
        {
            Assert.InRange(await CountAsync(filter), 0, 10_000);
        }
    }

    [Fact]
    public async Task An_injection_attempt_is_just_a_name_that_matches_nothing()
    {
        var before = await Sql.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM settlements");
        Assert.Equal(0, await CountAsync("name_latn = 'x''; DROP TABLE settlements; --' OR name_latn LIKE '%''; DELETE FROM settlements; --'"));
        Assert.Equal(before, await Sql.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM settlements"));
        Assert.True(before > 0);
    }

    private async Task<long> CountAsync(string filter) => (await QueryAsync(filter, "count(*)", reader => reader.GetInt64(0))).Single();

    private Task<List<long>> IdsAsync(string filter) => QueryAsync(filter, "s.id", reader => reader.GetInt64(0), "ORDER BY s.id");

    private async Task<List<T>> QueryAsync<T>(string filter, string select, Func<NpgsqlDataReader, T> read, string orderBy = "")
    {
        var translation = Translate(filter);
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {select} FROM settlements s WHERE {translation.Sql} {orderBy}", connection);
        foreach (var parameter in translation.Parameters)
        {
            command.Parameters.Add(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
