using System.Globalization;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using Npgsql;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Data.Demo;

/// <summary>
/// Rebuilds data/demo from data/sources: municipality boundaries as Voronoi cells of the GeoNames
/// seats clipped to Serbia's outline (computed in PostGIS, in UTM 34N so cells are fair in metres),
/// then synthetic settlements and demo coverage from a fixed seed. Same inputs, same files.
/// </summary>
public sealed class DemoDataBuilder(DemoFiles files, NpgsqlDataSource dataSource)
{
    public const int Seed = 20160583;
    public const int TargetSettlementCount = 583;

    private static readonly GeometryFactory Wgs84 = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // Neighbourhood names of the kind Roma settlements carry in Serbia (none refers to a real settlement).
    internal static readonly string[] QuarterNames =
    [
        "Ciglana", "Bara", "Nova mahala", "Stara mahala", "Donja mala", "Gornja mala", "Pored pruge", "Kanal",
        "Livade", "Vinogradi", "Polje", "Brdo", "Podvožnjak", "Mala", "Šljunkara", "Kod groblja", "Rečni kej",
        "Jabučje", "Lipe", "Topole", "Vrbak", "Staro selo", "Novo naselje", "Bostandžiluk", "Ledine", "Pašnjak",
        "Ribnjak", "Kod mlina", "Pustara", "Salaš", "Ciganluk", "Stanica", "Depo", "Kasarna", "Zabran", "Potok",
    ];

    public async Task BuildAsync(CancellationToken cancellationToken = default)
    {
        var districts = DemoFiles.ReadCsv(files.DistrictList);
        var seats = DemoFiles.ReadCsv(files.Seats);
        var outline = await File.ReadAllTextAsync(files.SerbiaOutline, cancellationToken);
        using var outlineDocument = JsonDocument.Parse(outline);
        var outlineGeometry = outlineDocument.RootElement.GetProperty("features")[0].GetProperty("geometry").GetRawText();

        var cells = await VoronoiCellsAsync(seats, outlineGeometry, cancellationToken);
        var municipalities = seats.Select(s => new DemoMunicipality(
            Code: Slug(s["name_latn"]),
            NameLatn: s["name_latn"],
            Kind: s["kind"],
            DistrictCode: s["district_code"],
            GeonamesName: s["geonames_name"],
            Seat: Wgs84.CreatePoint(new Coordinate(double.Parse(s["lon"], Invariant), double.Parse(s["lat"], Invariant))),
            Geom: cells[s["name_latn"]])).ToList();

        Directory.CreateDirectory(Path.GetDirectoryName(files.Districts)!);
        await File.WriteAllTextAsync(files.Districts,
            "code,name_latn,name_cyrl,name_en\n" +
            string.Concat(districts.Select(d => $"{d["code"]},{d["name_latn"]},{SerbianScript.ToCyrillic(d["name_latn"])},{d["name_en"]}\n")),
            cancellationToken);
        await WriteGeoJsonAsync(files.Municipalities, municipalities.Select(MunicipalityFeature), cancellationToken);

        var random = new Random(Seed);
        var settlements = GenerateSettlements(municipalities, random);
        await WriteGeoJsonAsync(files.Settlements, settlements, cancellationToken);
        await File.WriteAllTextAsync(files.Coverage, GenerateCoverage(municipalities, settlements, random), cancellationToken);
        Console.WriteLine($"Wrote {districts.Count} districts, {municipalities.Count} municipalities, {settlements.Count} settlements to {Path.GetDirectoryName(files.Settlements)}");
    }

    private async Task<Dictionary<string, MultiPolygon>> VoronoiCellsAsync(List<Dictionary<string, string>> seats, string outlineGeoJson, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH outline AS (
                SELECT ST_Transform(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(@outline), 4326)), 32634) AS g),
            seats AS (
                SELECT s.name, ST_Transform(ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326), 32634) AS p
                FROM unnest(@names::text[], @lons::float8[], @lats::float8[]) AS s(name, lon, lat)),
            cells AS (
                SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(p), 0, (SELECT ST_Expand(g, 50000) FROM outline)))).geom AS c
                FROM seats)
            SELECT seats.name,
                   ST_AsBinary(ST_Multi(ST_ReducePrecision(
                       ST_CollectionExtract(ST_Transform(ST_Intersection(cells.c, outline.g), 4326), 3), 0.000001)))
            FROM seats JOIN cells ON ST_Contains(cells.c, seats.p) CROSS JOIN outline
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("outline", outlineGeoJson);
        command.Parameters.AddWithValue("names", seats.Select(s => s["name_latn"]).ToArray());
        command.Parameters.AddWithValue("lons", seats.Select(s => double.Parse(s["lon"], Invariant)).ToArray());
        command.Parameters.AddWithValue("lats", seats.Select(s => double.Parse(s["lat"], Invariant)).ToArray());
        var reader = new NetTopologySuite.IO.WKBReader(NetTopologySuite.NtsGeometryServices.Instance);
        var cells = new Dictionary<string, MultiPolygon>(StringComparer.Ordinal);
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            var geometry = (MultiPolygon)reader.Read(rows.GetFieldValue<byte[]>(1));
            geometry.SRID = 4326;
            cells[rows.GetString(0)] = (MultiPolygon)geometry.Normalized().Reverse(); // Normalized() makes shells clockwise; RFC 7946 wants counter-clockwise.
        }
        var missing = seats.Select(s => s["name_latn"]).Where(n => !cells.ContainsKey(n)).ToList();
        return missing.Count == 0 ? cells : throw new InvalidDataException($"No Voronoi cell for: {string.Join(", ", missing)}");
    }

    private static IFeature MunicipalityFeature(DemoMunicipality m) => new Feature(m.Geom, new AttributesTable
    {
        { "code", m.Code },
        { "name_latn", m.NameLatn },
        { "name_cyrl", SerbianScript.ToCyrillic(m.NameLatn) },
        { "kind", m.Kind },
        { "district_code", m.DistrictCode },
        { "geonames_name", m.GeonamesName },
        { "seat_lon", m.Seat.X },
        { "seat_lat", m.Seat.Y },
        { "boundary_approximate", true },
    });

    private static List<IFeature> GenerateSettlements(List<DemoMunicipality> municipalities, Random random)
    {
        // Uneven, as in the real survey: cities and the south-east carry more settlements, some municipalities none.
        var weights = municipalities.Select(m =>
        {
            if (random.NextDouble() < 0.12)
            {
                return 0.0;
            }
            var weight = 1 + random.NextDouble() * 3;
            weight *= m.Kind == "city" ? 2.6 : m.Kind == "city_municipality" ? 1.3 : 1;
            weight *= m.DistrictCode is "RS.SE.20" or "RS.SE.23" or "RS.SE.24" or "RS.SE.0" or "RS.VO.4" ? 1.6 : 1;
            return weight;
        }).ToArray();
        var totalWeight = weights.Sum();
        var counts = weights.Select(w => (int)Math.Round(w / totalWeight * TargetSettlementCount)).ToArray();

        var features = new List<IFeature>();
        for (var i = 0; i < municipalities.Count; i++)
        {
            var municipality = municipalities[i];
            var prepared = PreparedGeometryFactory.Prepare(municipality.Geom.Buffer(-0.002));
            var placed = new List<Geometry>();
            var usedNames = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var n = 0; n < counts[i]; n++)
            {
                var settlement = PlaceSettlement(municipality, prepared, placed, random);
                if (settlement is null)
                {
                    continue; // A municipality too small for more; the total stays close to the target.
                }
                placed.Add(settlement.Value.Geom.Buffer(0.002));
                var baseName = QuarterNames[random.Next(QuarterNames.Length)];
                var repeat = usedNames[baseName] = usedNames.GetValueOrDefault(baseName) + 1;
                var name = repeat == 1 ? baseName : $"{baseName} {ToRoman(repeat)}";
                features.Add(new Feature(settlement.Value.Geom,
                    SettlementAttributes(municipality, settlement.Value.Type, settlement.Value.Geom, name, features.Count(f => (string)f.Attributes["municipality_code"] == municipality.Code) + 1, random)));
            }
        }
        return features;
    }

    private static (MultiPolygon Geom, string Type)? PlaceSettlement(DemoMunicipality municipality, IPreparedGeometry area, List<Geometry> placed, Random random)
    {
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var type = Pick(random, ("urban", 0.45), ("suburban", 0.30), ("rural", 0.25));
            var (minKm, maxKm) = type switch { "urban" => (0.2, 2.5), "suburban" => (2.0, 7.0), _ => (4.0, 25.0) };
            var distanceKm = minKm + random.NextDouble() * (maxKm - minKm) * (attempt < 30 ? 1 : 0.3);
            var bearing = random.NextDouble() * 2 * Math.PI;
            var centre = Offset(municipality.Seat.Coordinate, distanceKm * 1000 * Math.Cos(bearing), distanceKm * 1000 * Math.Sin(bearing));
            var radius = type == "urban" ? 60 + random.NextDouble() * 260 : 80 + random.NextDouble() * 380;
            var parts = random.NextDouble() < 0.06 ? 2 : 1;
            var polygons = new List<Polygon> { Blob(centre, radius, random) };
            if (parts == 2)
            {
                polygons.Add(Blob(Offset(centre, radius * 2.6, radius * 0.8), radius * 0.45, random));
            }
            var geom = Wgs84.CreateMultiPolygon([.. polygons]);
            if (geom.IsValid && area.Covers(geom) && !placed.Any(p => p.Intersects(geom)))
            {
                return (geom, type);
            }
        }
        return null;
    }

    /// <summary>A star-shaped outline with smoothly varying radius: simple, counter-clockwise, 16–48 vertices.</summary>
    private static Polygon Blob(Coordinate centre, double radiusMetres, Random random)
    {
        var vertices = 16 + random.Next(33);
        var harmonics = Enumerable.Range(2, 3).Select(k => (k, amplitude: random.NextDouble() * 0.18, phase: random.NextDouble() * 2 * Math.PI)).ToArray();
        var ring = new Coordinate[vertices + 1];
        for (var v = 0; v < vertices; v++)
        {
            var angle = 2 * Math.PI * v / vertices;
            var r = radiusMetres * (1 + harmonics.Sum(h => h.amplitude * Math.Sin(h.k * angle + h.phase)) + (random.NextDouble() - 0.5) * 0.08);
            var c = Offset(centre, r * Math.Cos(angle), r * Math.Sin(angle));
            ring[v] = new Coordinate(Math.Round(c.X, 6), Math.Round(c.Y, 6));
        }
        ring[vertices] = ring[0].Copy();
        return Wgs84.CreatePolygon(ring);
    }

    private static Coordinate Offset(Coordinate origin, double eastMetres, double northMetres) => new(
        origin.X + eastMetres / (111_320 * Math.Cos(origin.Y * Math.PI / 180)),
        origin.Y + northMetres / 110_574);

    private static AttributesTable SettlementAttributes(DemoMunicipality municipality, string type, MultiPolygon geom, string name, int ordinal, Random random)
    {
        var location = type switch
        {
            "urban" => Pick(random, ("within_town", 0.5), ("town_edge", 0.4), ("dispersed", 0.1)),
            "suburban" => Pick(random, ("town_edge", 0.6), ("outside_town", 0.4)),
            _ => Pick(random, ("outside_town", 0.6), ("dispersed", 0.3), ("within_town", 0.1)),
        };
        // One latent deprivation score drives the correlated attributes, so the map shows patterns, not noise.
        var deprivation = Math.Clamp(
            (location is "outside_town" ? 0.6 : location is "town_edge" ? 0.45 : 0.3) + (random.NextDouble() - 0.5) * 0.7, 0, 1);
        string Graded(params (string Value, double Threshold)[] grades)
        {
            if (random.NextDouble() < 0.04)
            {
                return "unknown";
            }
            var score = deprivation + (random.NextDouble() - 0.5) * 0.3;
            return grades.First(g => score <= g.Threshold).Value;
        }
        string YesIf(double probability) => random.NextDouble() < 0.05 ? "unknown" : random.NextDouble() < probability ? "yes" : "no";

        var inhabitants = (int)Math.Round(Math.Exp(4.2 + random.NextDouble() * 3.6)); // about 70 to 2,400
        var households = Math.Max(1, (int)Math.Round(inhabitants / (4.0 + random.NextDouble() * 1.6)));
        var centroid = geom.Centroid;
        var distanceToSeat = (int)Math.Round(GreatCircleMetres(centroid.Coordinate, municipality.Seat.Coordinate));
        int Near(double min, double max) => (int)Math.Round(min + (max - min) * (0.3 + 0.7 * deprivation) * random.NextDouble());
        var legal = Graded(("legalised", 0.3), ("in_process", 0.5), ("not_legalised", 2));

        return new AttributesTable
        {
            { "code", $"DEMO-{municipality.Code.ToUpperInvariant()}-{ordinal:000}" },
            { "name_latn", name },
            { "name_cyrl", SerbianScript.ToCyrillic(name) },
            { "municipality_code", municipality.Code },
            { "settlement_type", type },
            { "location_class", location },
            { "decade_founded", random.NextDouble() < 0.08 ? null : 1930 + 10 * random.Next(9) },
            { "estimated_inhabitants", inhabitants },
            { "households", households },
            { "population_year", 2015 + random.Next(9) },
            { "population_source", "demo: synthetic estimate" },
            { "dwelling_count", Math.Max(1, (int)Math.Round(households * (0.75 + random.NextDouble() * 0.25))) },
            { "main_building_material", Graded(("brick_block", 0.35), ("mixed", 0.6), ("makeshift", 2)) },
            { "substandard_share_pct", Math.Round((decimal)Math.Clamp(deprivation * 100 + (random.NextDouble() - 0.5) * 30, 0, 100), 1) },
            { "legal_status", legal },
            { "overcrowding", YesIf(0.2 + deprivation * 0.7) },
            { "planning_document", Graded(("yes", 0.3), ("in_preparation", 0.45), ("no", 2)) },
            { "water_supply", Graded(("network", 0.45), ("wells", 0.75), ("none", 2)) },
            { "sewerage", Graded(("network", 0.3), ("septic", 0.6), ("none", 2)) },
            { "electricity", Graded(("legal", 0.45), ("partial", 0.65), ("illegal", 0.85), ("none", 2)) },
            { "heating", type == "urban" && deprivation < 0.25 && random.NextDouble() < 0.5 ? "district" : Graded(("electricity_gas", 0.2), ("wood_coal", 0.9), ("none", 2)) },
            { "paved_access_road", YesIf(0.9 - deprivation * 0.8) },
            { "street_network", YesIf(0.8 - deprivation * 0.7) },
            { "waste_collection", YesIf(0.85 - deprivation * 0.6) },
            { "street_lighting", YesIf(0.8 - deprivation * 0.7) },
            { "distance_to_seat_m", distanceToSeat },
            { "distance_to_primary_school_m", Near(150, 4500) },
            { "distance_to_preschool_m", Near(200, 6000) },
            { "distance_to_health_centre_m", Near(300, 8000) },
            { "distance_to_social_work_centre_m", distanceToSeat + Near(0, 1500) },
            { "distance_to_transport_stop_m", Near(50, 2500) },
            { "distance_to_pharmacy_m", Near(200, 7000) },
            { "flood_zone", YesIf(0.15) },
            { "hazard_nearby", YesIf(0.05 + deprivation * 0.15) },
            { "eviction_threat", YesIf(legal == "not_legalised" ? 0.25 : 0.03) },
            { "source", "demo" },
            { "data_collected_on", new DateOnly(2016 + random.Next(9), 1 + random.Next(12), 1 + random.Next(28)).ToString("yyyy-MM-dd", Invariant) },
        };
    }

    private static string GenerateCoverage(List<DemoMunicipality> municipalities, List<IFeature> settlements, Random random)
    {
        var withSettlements = settlements.Select(f => (string)f.Attributes["municipality_code"]).ToHashSet(StringComparer.Ordinal);
        var csv = new StringBuilder("municipality_code,kind,count,valid_from,valid_to,note\n");
        foreach (var m in municipalities)
        {
            var likely = withSettlements.Contains(m.Code) ? 0.8 : 0.25;
            void Add(string kind, double probability, Func<int?> count, bool mayHaveEnded)
            {
                if (random.NextDouble() >= probability)
                {
                    return;
                }
                var from = new DateOnly(2009 + random.Next(12), 1 + random.Next(12), 1);
                DateOnly? to = mayHaveEnded && random.NextDouble() < 0.2 ? from.AddYears(2 + random.Next(4)).AddDays(-1) : null;
                csv.Append(Invariant, $"{m.Code},{kind},{count()},{from:yyyy-MM-dd},{to:yyyy-MM-dd},demo\n");
            }
            Add("coordinator", likely, () => 1, mayHaveEnded: true);
            Add("health_mediator", likely * 0.85, () => 1 + random.Next(4), mayHaveEnded: true);
            Add("pedagogical_assistant", likely * 0.8, () => random.NextDouble() < 0.15 ? null : 1 + random.Next(8), mayHaveEnded: true);
            Add("mobile_team", likely * 0.4, () => 1, mayHaveEnded: true);
            if (random.NextDouble() < likely * 0.7)
            {
                var start = new DateOnly(2012 + random.Next(11), 1, 1);
                csv.Append(Invariant, $"{m.Code},local_action_plan,,{start:yyyy-MM-dd},{start.AddYears(4).AddDays(-1):yyyy-MM-dd},demo\n");
            }
        }
        return csv.ToString();
    }

    private static async Task WriteGeoJsonAsync(string path, IEnumerable<IFeature> features, CancellationToken cancellationToken)
    {
        var collection = new FeatureCollection();
        foreach (var feature in features)
        {
            collection.Add(feature);
        }
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, collection, DemoFiles.GeoJsonOptions, cancellationToken);
    }

    private static string Pick(Random random, params (string Value, double Weight)[] choices)
    {
        var roll = random.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
        {
            if ((roll -= weight) < 0)
            {
                return value;
            }
        }
        return choices[^1].Value;
    }

    public static double GreatCircleMetres(Coordinate a, Coordinate b)
    {
        const double earthRadius = 6_371_008.8;
        double Rad(double degrees) => degrees * Math.PI / 180;
        var h = Math.Pow(Math.Sin(Rad(b.Y - a.Y) / 2), 2) + Math.Cos(Rad(a.Y)) * Math.Cos(Rad(b.Y)) * Math.Pow(Math.Sin(Rad(b.X - a.X) / 2), 2);
        return 2 * earthRadius * Math.Asin(Math.Sqrt(h));
    }

    public static string Slug(string latinName) =>
        string.Join('-', SerbianScript.SearchKey(latinName).Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string ToRoman(int n) => n switch { 2 => "II", 3 => "III", 4 => "IV", 5 => "V", _ => n.ToString(Invariant) };

    private sealed record DemoMunicipality(string Code, string NameLatn, string Kind, string DistrictCode, string GeonamesName, Point Seat, MultiPolygon Geom);
}
