using System.Globalization;
using System.Text;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using SettlementMap.Web.Data;
using SettlementMap.Web.Data.Demo;
using SettlementMap.Web.Data.Scale;

namespace SettlementMap.Tests.Data.Scale;

/// <summary>The pure generator: deterministic, valid outlines where they belong, plausible attributes.</summary>
public sealed class ScaleGeneratorTests
{
    private static readonly GeometryFactory Wgs84 = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    // Two squares near Niš: about 8 × 11 km and 4 × 5.5 km, so the first should get about four fifths of the settlements.
    private static readonly ScaleMunicipality[] Municipalities =
    [
        Square(11, 21.80, 43.30, 0.10),
        Square(12, 21.90, 43.30, 0.05),
    ];

    [Fact]
    public void The_same_seed_gives_the_same_rows_and_another_seed_other_rows()
    {
        var first = Describe(new ScaleGenerator(42, ScaleRegion.Serbia, Municipalities).Generate(50));
        var again = Describe(new ScaleGenerator(42, ScaleRegion.Serbia, Municipalities).Generate(50));
        // Row n does not depend on how many rows are asked for.
        var longer = Describe(new ScaleGenerator(42, ScaleRegion.Serbia, Municipalities).Generate(500).Take(50));
        var other = Describe(new ScaleGenerator(43, ScaleRegion.Serbia, Municipalities).Generate(50));

        Assert.Equal(50, first.Count);
        Assert.Equal(first, again);
        Assert.Equal(first, longer);
        Assert.All(first.Zip(other), pair => Assert.NotEqual(pair.First, pair.Second));
        Assert.Contains("MULTIPOLYGON", first[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_outline_is_a_valid_counter_clockwise_polygon_of_20_to_200_vertices_inside_its_municipality()
    {
        var byId = Municipalities.ToDictionary(m => m.Id);
        var vertexCounts = new List<int>();
        foreach (var s in new ScaleGenerator(7, ScaleRegion.Serbia, Municipalities).Generate(2000))
        {
            var geom = s.Row.Geom;
            Assert.Equal(4326, geom.SRID);
            Assert.True(geom.IsValid, s.Row.Code);
            Assert.False(geom.IsEmpty);
            var polygon = Assert.IsType<Polygon>(Assert.Single(geom.Geometries));
            Assert.Empty(polygon.Holes);
            Assert.True(Orientation.IsCCW(polygon.Shell.CoordinateSequence), s.Row.Code);
            var ring = polygon.Shell.Coordinates;
            var vertices = ring.Length - 1;
            Assert.Equal(vertices, ring.Take(vertices).Distinct().Count());
            Assert.InRange(vertices, ScaleGenerator.MinVertices, ScaleGenerator.MaxVertices);
            vertexCounts.Add(vertices);

            Assert.InRange(s.RadiusMetres, ScaleGenerator.MinRadiusMetres, ScaleGenerator.MaxRadiusMetres);
            foreach (var c in ring)
            {
                var distance = DemoDataBuilder.GreatCircleMetres(s.Centre, c);
                Assert.InRange(distance, s.RadiusMetres * (1 - ScaleGenerator.MaxRadiusVariation), s.RadiusMetres * (1 + ScaleGenerator.MaxRadiusVariation));
                Assert.InRange(distance, 35, 500);
            }
            Assert.True(byId[s.Row.MunicipalityId].Geom.Covers(geom), s.Row.Code);
        }
        // Complexity spreads over the range, not bunched at one end.
        Assert.True(vertexCounts.Min() < 60 && vertexCounts.Max() > 150, $"{vertexCounts.Min()}–{vertexCounts.Max()}");
    }

    [Fact]
    public void Municipalities_are_chosen_by_area()
    {
        var rows = new ScaleGenerator(3, ScaleRegion.Serbia, Municipalities).Generate(2000).Select(s => s.Row).ToList();
        var largerShare = rows.Count(r => r.MunicipalityId == 11) / (double)rows.Count;
        Assert.InRange(largerShare, 0.74, 0.86);
    }

    [Fact]
    public void Attributes_stay_within_the_schema_and_plausible_bounds()
    {
        var n = 0;
        foreach (var s in new ScaleGenerator(20260101, ScaleRegion.Serbia, Municipalities).Generate(2000))
        {
            n++;
            var r = s.Row;
            Assert.Equal($"SCALE-{n:0000000}", r.Code);
            Assert.Equal($"Naselje {n}", r.NameLatn);
            Assert.Equal($"Насеље {n}", r.NameCyrl);
            Assert.Equal($"naselje {n}", r.SearchKey);
            Assert.Equal(SearchKeys.For(r.NameLatn, r.NameCyrl), r.SearchKey);
            Assert.Equal("synthetic scale data (seed 20260101)", r.Source);
            Assert.Equal(ScaleGenerator.UpdatedBy, r.UpdatedBy);
            Assert.NotEqual(SettlementType.Unknown, r.SettlementType);
            Assert.NotEqual(LocationClass.Unknown, r.LocationClass);

            Assert.InRange(r.EstimatedInhabitants!.Value, 20, 3000);
            Assert.InRange(r.Households!.Value, 1, r.EstimatedInhabitants.Value);
            Assert.InRange(r.DwellingCount!.Value, 1, r.Households.Value);
            Assert.InRange(r.SubstandardSharePct!.Value, 0m, 100m);
            Assert.InRange(r.PopulationYear!.Value, 2015, 2023);
            Assert.True(r.DecadeFounded is null or >= 1930 and <= 2010);
            Assert.InRange(r.DataCollectedOn!.Value, new DateOnly(2016, 1, 1), new DateOnly(2024, 12, 28));
            Assert.True(r.DistanceToSeatM >= 100);
            foreach (var distance in new[] { r.DistanceToPrimarySchoolM, r.DistanceToPreschoolM, r.DistanceToHealthCentreM,
                r.DistanceToSocialWorkCentreM, r.DistanceToTransportStopM, r.DistanceToPharmacyM })
            {
                Assert.InRange(distance!.Value, 100, 10_000);
            }
            // Every value is one of the closed list's, as the CHECK constraints want.
            Assert.Contains(EnumText.ToText(r.WaterSupply), EnumText.Values<WaterSupply>());
            Assert.Contains(EnumText.ToText(r.Electricity), EnumText.Values<Electricity>());
        }
    }

    [Fact]
    public void Deprivation_correlates_the_services()
    {
        var rows = new ScaleGenerator(5, ScaleRegion.Serbia, Municipalities).Generate(3000).Select(s => s.Row).ToList();
        double Share(IEnumerable<Settlement> group, Func<Settlement, bool> predicate)
        {
            var list = group.ToList();
            return list.Count(predicate) / (double)list.Count;
        }
        var poor = rows.Where(r => r.SubstandardSharePct > 70);
        var better = rows.Where(r => r.SubstandardSharePct < 30);
        Assert.True(Share(poor, r => r.WaterSupply == WaterSupply.Network) < Share(better, r => r.WaterSupply == WaterSupply.Network));
        Assert.True(Share(poor, r => r.LegalStatus == LegalStatus.NotLegalised) > Share(better, r => r.LegalStatus == LegalStatus.NotLegalised));
    }

    [Fact]
    public void The_cee_region_spreads_settlements_over_the_box_and_keys_them_to_the_nearest_seat()
    {
        var rows = new ScaleGenerator(9, ScaleRegion.Cee, Municipalities).Generate(500).ToList();
        Assert.All(rows, s =>
        {
            Assert.True(ScaleGenerator.CeeBounds.Contains(s.Centre));
            Assert.True(s.Row.Geom.IsValid);
            Assert.True(Orientation.IsCCW(((Polygon)s.Row.Geom.GetGeometryN(0)).Shell.CoordinateSequence));
            var nearest = Municipalities.MinBy(m => Math.Pow((m.Seat.X - s.Centre.X) * Math.Cos(s.Centre.Y * Math.PI / 180), 2) + Math.Pow(m.Seat.Y - s.Centre.Y, 2))!;
            Assert.Equal(nearest.Id, s.Row.MunicipalityId);
            Assert.InRange(s.Row.DistanceToSeatM!.Value, 100, 10_000);
            Assert.Contains("region cee", s.Row.Source, StringComparison.Ordinal);
        });
        Assert.True(rows.Min(s => s.Centre.X) < 14 && rows.Max(s => s.Centre.X) > 28);
        Assert.True(rows.Min(s => s.Centre.Y) < 43 && rows.Max(s => s.Centre.Y) > 51);
    }

    [Fact]
    public void The_progress_bar_shows_share_count_rate_and_eta()
    {
        var line = ScaleProgressBar.Format(45_000, 100_000, TimeSpan.FromSeconds(45_000 / 12_300.0));
        Assert.Equal("[#########-----------]  45,000 / 100,000  12,300/s  eta 5 s", line);
        Assert.StartsWith("[####################]  10 / 10", ScaleProgressBar.Format(10, 10, TimeSpan.FromSeconds(1)), StringComparison.Ordinal);

        var output = new StringWriter();
        var clock = new ManualClock();
        var bar = new ScaleProgressBar(output, 3, clock);
        bar.Report(0);
        clock.Advance(0.05);
        bar.Report(1); // Within a tenth of a second of the last drawing: not drawn.
        clock.Advance(0.1);
        bar.Report(2);
        clock.Advance(0.01);
        bar.Report(3); // The last always is, and ends the line.
        bar.Report(3);
        var text = output.ToString();
        Assert.Equal(3, text.Count(c => c == '\r'));
        Assert.StartsWith("\r[--------------------]  0 / 3  0/s  eta ? s", text, StringComparison.Ordinal);
        Assert.Contains("\r[#############-------]  2 / 3  13/s  eta 1 s", text, StringComparison.Ordinal);
        Assert.EndsWith($"\r[####################]  3 / 3  19/s  eta 0 s{Environment.NewLine}", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--count", "100000" }, 100_000, "settlementmap_scale_100000", 20260101, ScaleRegion.Serbia)]
    [InlineData(new[] { "--count", "10k", "--database", "scale_a", "--seed", "-5", "--region", "cee" }, 10_000, "scale_a", -5, ScaleRegion.Cee)]
    [InlineData(new[] { "--count", "1m" }, 1_000_000, "settlementmap_scale_1000000", 20260101, ScaleRegion.Serbia)]
    public void The_command_line_is_read(string[] args, int count, string database, int seed, ScaleRegion region)
    {
        var options = ScaleCommand.Parse(args, null, out var error);
        Assert.Equal(new ScaleOptions(count, database, seed, region), options);
        Assert.Empty(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--count")]
    [InlineData("--count 0")]
    [InlineData("--count 10000000")]
    [InlineData("--count ten")]
    [InlineData("--count 10 --region europe")]
    [InlineData("--count 10 --database Bad-Name")]
    [InlineData("--count 10 --database settlementmap")]
    [InlineData("--count 10 --database production")]
    [InlineData("--count 10 --colour red")]
    public void Bad_arguments_are_refused(string commandLine)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Null(ScaleCommand.Parse(args, "production", out var error));
        Assert.NotEmpty(error);
    }

    private static List<string> Describe(IEnumerable<ScaleSettlement> settlements) =>
        [.. settlements.Select(s =>
        {
            var text = new StringBuilder();
            foreach (var property in typeof(Settlement).GetProperties().Where(p => p.Name is not (nameof(Settlement.Geom) or nameof(Settlement.Municipality))))
            {
                text.Append(CultureInfo.InvariantCulture, $"{property.Name}={property.GetValue(s.Row)};");
            }
            return text.Append(s.Row.Geom.AsText()).ToString();
        })];

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(double seconds) => _ticks += TimeSpan.FromSeconds(seconds).Ticks;
    }

    private static ScaleMunicipality Square(int id, double west, double south, double size)
    {
        var ring = new[]
        {
            new Coordinate(west, south), new Coordinate(west + size, south), new Coordinate(west + size, south + size),
            new Coordinate(west, south + size), new Coordinate(west, south),
        };
        return new ScaleMunicipality(id, Wgs84.CreatePoint(new Coordinate(west + size / 2, south + size / 2)), Wgs84.CreateMultiPolygon([Wgs84.CreatePolygon(ring)]));
    }
}
