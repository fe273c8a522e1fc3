using System.Globalization;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Distance;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Web.Data.Scale;

/// <summary>Where generated settlements are placed.</summary>
public enum ScaleRegion
{
    /// <summary>Inside Serbia's municipalities, each settlement within the municipality it belongs to.</summary>
    Serbia,

    /// <summary>
    /// Load testing only: spread uniformly over a Central and Eastern Europe box (<see cref="ScaleGenerator.CeeBounds"/>);
    /// each settlement gets the municipality with the nearest seat, for the foreign key and nothing else.
    /// </summary>
    Cee,
}

/// <summary>A municipality as the generator needs it: id for the foreign key, seat, boundary.</summary>
public sealed record ScaleMunicipality(int Id, Point Seat, MultiPolygon Geom);

/// <summary>A generated settlement row, with the centre and nominal radius its outline was drawn around.</summary>
public sealed record ScaleSettlement(Settlement Row, Coordinate Centre, double RadiusMetres);

/// <summary>
/// Synthetic settlements for scale testing, streamed one at a time (nothing is kept per row, so a
/// million costs no more memory than ten). Deterministic: the same seed, region and municipalities
/// give the same rows in the same order, and row n does not depend on how many are asked for.
/// Each outline is a star-convex "blob" around a centre — 20–200 vertices in counter-clockwise
/// order at radii varying smoothly around a nominal radius of 50–400 m — so it is always simple.
/// </summary>
public sealed class ScaleGenerator
{
    public const string CodePrefix = "SCALE-";
    public const double MinRadiusMetres = 50;
    public const double MaxRadiusMetres = 400;
    public const int MinVertices = 20;
    public const int MaxVertices = 200;

    /// <summary>Largest relative departure of a vertex from the nominal radius (harmonics ≤ 0.2, jitter ≤ 0.015).</summary>
    public const double MaxRadiusVariation = 0.25;

    public const string UpdatedBy = "generate-scale";

    private const int MaxPlacementAttempts = 400;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly GeometryFactory Wgs84 = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(4326);
    private static readonly int[] Harmonics = [2, 3, 4, 5];
    private static readonly double[] HarmonicAmplitudes = [0.09, 0.06, 0.035, 0.015];

    private readonly int _seed;
    private readonly ScaleRegion _region;
    private readonly IReadOnlyList<ScaleMunicipality> _municipalities;
    private readonly IPreparedGeometry[] _prepared;
    private readonly IndexedFacetDistance[] _boundaries;
    private readonly double[] _cumulativeArea;

    public ScaleGenerator(int seed, ScaleRegion region, IReadOnlyList<ScaleMunicipality> municipalities)
    {
        ArgumentNullException.ThrowIfNull(municipalities);
        if (municipalities.Count == 0)
        {
            throw new ArgumentException("At least one municipality is needed.", nameof(municipalities));
        }
        _seed = seed;
        _region = region;
        _municipalities = municipalities;
        _prepared = region == ScaleRegion.Serbia ? [.. municipalities.Select(m => PreparedGeometryFactory.Prepare(m.Geom))] : [];
        _boundaries = region == ScaleRegion.Serbia ? [.. municipalities.Select(m => new IndexedFacetDistance(m.Geom.Boundary))] : [];
        // Weight by area on the ground: degrees² shrink in longitude by cos(latitude).
        _cumulativeArea = new double[municipalities.Count];
        var total = 0.0;
        for (var i = 0; i < municipalities.Count; i++)
        {
            var geom = municipalities[i].Geom;
            total += geom.Area * Math.Cos(geom.EnvelopeInternal.Centre.Y * Math.PI / 180);
            _cumulativeArea[i] = total;
        }
        if (region == ScaleRegion.Serbia && !(total > 0))
        {
            throw new ArgumentException("The municipalities have no area.", nameof(municipalities));
        }
    }

    /// <summary>Central and Eastern Europe: longitude 12–30° E, latitude 42–52° N.</summary>
    public static Envelope CeeBounds { get; } = new(12, 30, 42, 52);

    public static string Code(int number) => $"{CodePrefix}{number.ToString("0000000", Invariant)}";

    public string Source => _region == ScaleRegion.Serbia
        ? $"synthetic scale data (seed {_seed.ToString(Invariant)})"
        : $"synthetic scale data (seed {_seed.ToString(Invariant)}, region cee: load testing only)";

    /// <summary>Settlements 1..count, lazily.</summary>
    public IEnumerable<ScaleSettlement> Generate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(_seed);
        for (var number = 1; number <= count; number++)
        {
            yield return Next(number, random);
        }
    }

    private ScaleSettlement Next(int number, Random random)
    {
        // Log-uniform: many small settlements, few large ones.
        var radius = MinRadiusMetres * Math.Pow(MaxRadiusMetres / MinRadiusMetres, random.NextDouble());
        var (municipality, centre, polygon) = _region == ScaleRegion.Serbia ? PlaceInSerbia(random, ref radius) : PlaceInCee(random, radius);
        var geom = Wgs84.CreateMultiPolygon([polygon]);
        return new ScaleSettlement(Attributes(number, municipality, centre, radius, geom, random), centre, radius);
    }

    private (ScaleMunicipality, Coordinate, Polygon) PlaceInSerbia(Random random, ref double radius)
    {
        var index = PickMunicipality(random.NextDouble());
        var municipality = _municipalities[index];
        var area = _prepared[index];
        var envelope = municipality.Geom.EnvelopeInternal;
        for (var attempt = 0; attempt < MaxPlacementAttempts; attempt++)
        {
            // A municipality narrower than the outline: shrink it after a few misses, never below the minimum.
            if (attempt >= 8 && attempt % 4 == 0)
            {
                radius = Math.Max(MinRadiusMetres, radius * 0.85);
            }
            var centre = new Coordinate(envelope.MinX + random.NextDouble() * envelope.Width, envelope.MinY + random.NextDouble() * envelope.Height);
            if (!area.Contains(Wgs84.CreatePoint(centre)))
            {
                continue; // Cheap rejection first: most misses of an irregular boundary's envelope end here.
            }
            var polygon = Blob(centre, radius, random);
            // Far enough from the boundary (in the shorter, east-west degree) the outline is inside without testing it.
            var clearance = _boundaries[index].Distance(Wgs84.CreatePoint(centre)) * 111_320 * Math.Cos(centre.Y * Math.PI / 180);
            if (polygon is not null && (clearance > radius * (1 + MaxRadiusVariation) || area.Covers(polygon)))
            {
                return (municipality, centre, polygon);
            }
        }
        throw new InvalidOperationException($"Municipality {municipality.Id} is too small for a {MinRadiusMetres} m settlement.");
    }

    private (ScaleMunicipality, Coordinate, Polygon) PlaceInCee(Random random, double radius)
    {
        while (true)
        {
            var bounds = CeeBounds;
            var centre = new Coordinate(bounds.MinX + random.NextDouble() * bounds.Width, bounds.MinY + random.NextDouble() * bounds.Height);
            if (Blob(centre, radius, random) is { } polygon)
            {
                return (NearestSeat(centre), centre, polygon);
            }
        }
    }

    private int PickMunicipality(double roll)
    {
        var target = roll * _cumulativeArea[^1];
        var index = Array.BinarySearch(_cumulativeArea, target);
        index = index >= 0 ? index : ~index;
        return Math.Min(index, _cumulativeArea.Length - 1);
    }

    private ScaleMunicipality NearestSeat(Coordinate point)
    {
        var cos = Math.Cos(point.Y * Math.PI / 180);
        var best = _municipalities[0];
        var bestDistance = double.MaxValue;
        foreach (var m in _municipalities)
        {
            var dx = (m.Seat.X - point.X) * cos;
            var dy = m.Seat.Y - point.Y;
            var distance = dx * dx + dy * dy;
            if (distance < bestDistance)
            {
                (best, bestDistance) = (m, distance);
            }
        }
        return best;
    }

    /// <summary>
    /// The outline: vertices at increasing angles around the centre (so it is star-convex, hence simple,
    /// and counter-clockwise), radius = nominal × (1 + smooth harmonics + a little jitter). Null in the
    /// (not expected) case that rounding made it invalid; the caller draws another.
    /// </summary>
    private static Polygon? Blob(Coordinate centre, double radius, Random random)
    {
        // Larger settlements are digitised with more vertices.
        var size = Math.Log(radius / MinRadiusMetres) / Math.Log(MaxRadiusMetres / MinRadiusMetres);
        var vertices = MinVertices + (int)Math.Round((MaxVertices - MinVertices) * Math.Clamp(0.6 * size + 0.4 * random.NextDouble(), 0, 1));
        var amplitudes = new double[Harmonics.Length];
        var phases = new double[Harmonics.Length];
        for (var h = 0; h < Harmonics.Length; h++)
        {
            amplitudes[h] = HarmonicAmplitudes[h] * random.NextDouble();
            phases[h] = random.NextDouble() * 2 * Math.PI;
        }
        var start = random.NextDouble() * 2 * Math.PI;
        var step = 2 * Math.PI / vertices;
        var metresPerDegreeX = 111_320 * Math.Cos(centre.Y * Math.PI / 180);
        const double metresPerDegreeY = 110_574;
        var ring = new Coordinate[vertices + 1];
        for (var v = 0; v < vertices; v++)
        {
            var angle = start + step * (v + (random.NextDouble() - 0.5) * 0.5);
            var factor = 1 + (random.NextDouble() - 0.5) * 0.03;
            for (var h = 0; h < Harmonics.Length; h++)
            {
                factor += amplitudes[h] * Math.Sin(Harmonics[h] * angle + phases[h]);
            }
            var r = radius * factor;
            ring[v] = new Coordinate(
                Math.Round(centre.X + r * Math.Cos(angle) / metresPerDegreeX, 7),
                Math.Round(centre.Y + r * Math.Sin(angle) / metresPerDegreeY, 7));
        }
        ring[vertices] = ring[0].Copy();
        var polygon = Wgs84.CreatePolygon(ring);
        return polygon.IsValid && Orientation.IsCCW(polygon.Shell.CoordinateSequence) ? polygon : null;
    }

    private Settlement Attributes(int number, ScaleMunicipality municipality, Coordinate centre, double radius, MultiPolygon geom, Random random)
    {
        var type = Pick(random, (SettlementType.Urban, 0.45), (SettlementType.Suburban, 0.30), (SettlementType.Rural, 0.25));
        var location = type switch
        {
            SettlementType.Urban => Pick(random, (LocationClass.WithinTown, 0.5), (LocationClass.TownEdge, 0.4), (LocationClass.Dispersed, 0.1)),
            SettlementType.Suburban => Pick(random, (LocationClass.TownEdge, 0.6), (LocationClass.OutsideTown, 0.4)),
            _ => Pick(random, (LocationClass.OutsideTown, 0.6), (LocationClass.Dispersed, 0.3), (LocationClass.WithinTown, 0.1)),
        };
        // One latent deprivation score drives the correlated attributes, as in the demo data.
        var deprivation = Math.Clamp(
            (location is LocationClass.OutsideTown ? 0.6 : location is LocationClass.TownEdge ? 0.45 : 0.3) + (random.NextDouble() - 0.5) * 0.7, 0, 1);
        T Graded<T>(params (T Value, double Threshold)[] grades) where T : struct, Enum
        {
            if (random.NextDouble() < 0.04)
            {
                return default; // Every closed list starts with Unknown.
            }
            var score = deprivation + (random.NextDouble() - 0.5) * 0.3;
            return grades.First(g => score <= g.Threshold).Value;
        }
        YesNo YesIf(double probability) => random.NextDouble() < 0.05 ? YesNo.Unknown : random.NextDouble() < probability ? YesNo.Yes : YesNo.No;
        int Near(double min, double max) => (int)Math.Round(min + (max - min) * (0.3 + 0.7 * deprivation) * random.NextDouble());

        // Density per m² by type, times the nominal area: large outlines hold more people.
        var density = type switch { SettlementType.Urban => 0.004 + random.NextDouble() * 0.016, SettlementType.Suburban => 0.002 + random.NextDouble() * 0.008, _ => 0.001 + random.NextDouble() * 0.005 };
        var inhabitants = Math.Clamp((int)Math.Round(Math.PI * radius * radius * density), 20, 3000);
        var households = Math.Max(1, (int)Math.Round(inhabitants / (4.0 + random.NextDouble() * 1.6)));
        var distanceToSeat = _region == ScaleRegion.Serbia
            ? Math.Max(100, (int)Math.Round(DemoDataBuilder.GreatCircleMetres(centre, municipality.Seat.Coordinate)))
            : Near(500, 10_000); // The "municipality" of a CEE point is only a foreign key.
        var legal = Graded((LegalStatus.Legalised, 0.3), (LegalStatus.InProcess, 0.5), (LegalStatus.NotLegalised, 2));
        var nameLatn = $"Naselje {number.ToString(Invariant)}";
        var nameCyrl = $"Насеље {number.ToString(Invariant)}";

        return new Settlement
        {
            Code = Code(number),
            NameLatn = nameLatn,
            NameCyrl = nameCyrl,
            SearchKey = SearchKeys.For(nameLatn, nameCyrl),
            MunicipalityId = municipality.Id,
            SettlementType = type,
            LocationClass = location,
            DecadeFounded = random.NextDouble() < 0.08 ? null : 1930 + 10 * random.Next(9),
            Geom = geom,
            EstimatedInhabitants = inhabitants,
            Households = households,
            PopulationYear = 2015 + random.Next(9),
            PopulationSource = "synthetic scale estimate",
            DwellingCount = Math.Max(1, (int)Math.Round(households * (0.75 + random.NextDouble() * 0.25))),
            MainBuildingMaterial = Graded((BuildingMaterial.BrickBlock, 0.35), (BuildingMaterial.Mixed, 0.6), (BuildingMaterial.Makeshift, 2)),
            SubstandardSharePct = Math.Round((decimal)Math.Clamp(deprivation * 100 + (random.NextDouble() - 0.5) * 30, 0, 100), 1),
            LegalStatus = legal,
            Overcrowding = YesIf(0.2 + deprivation * 0.7),
            PlanningDocument = Graded((PlanningDocument.Yes, 0.3), (PlanningDocument.InPreparation, 0.45), (PlanningDocument.No, 2)),
            WaterSupply = Graded((WaterSupply.Network, 0.45), (WaterSupply.Wells, 0.75), (WaterSupply.None, 2)),
            Sewerage = Graded((Sewerage.Network, 0.3), (Sewerage.Septic, 0.6), (Sewerage.None, 2)),
            Electricity = Graded((Electricity.Legal, 0.45), (Electricity.Partial, 0.65), (Electricity.Illegal, 0.85), (Electricity.None, 2)),
            Heating = type == SettlementType.Urban && deprivation < 0.25 && random.NextDouble() < 0.5
                ? Heating.District
                : Graded((Heating.ElectricityGas, 0.2), (Heating.WoodCoal, 0.9), (Heating.None, 2)),
            PavedAccessRoad = YesIf(0.9 - deprivation * 0.8),
            StreetNetwork = YesIf(0.8 - deprivation * 0.7),
            WasteCollection = YesIf(0.85 - deprivation * 0.6),
            StreetLighting = YesIf(0.8 - deprivation * 0.7),
            DistanceToSeatM = distanceToSeat,
            DistanceToPrimarySchoolM = Near(100, 4500),
            DistanceToPreschoolM = Near(150, 6000),
            DistanceToHealthCentreM = Near(300, 8000),
            DistanceToSocialWorkCentreM = Math.Min(10_000, distanceToSeat + Near(100, 1500)),
            DistanceToTransportStopM = Near(100, 2500),
            DistanceToPharmacyM = Near(200, 7000),
            FloodZone = YesIf(0.15),
            HazardNearby = YesIf(0.05 + deprivation * 0.15),
            EvictionThreat = YesIf(legal == LegalStatus.NotLegalised ? 0.25 : 0.03),
            Source = Source,
            DataCollectedOn = new DateOnly(2016 + random.Next(9), 1 + random.Next(12), 1 + random.Next(28)),
            UpdatedBy = UpdatedBy,
        };
    }

    private static T Pick<T>(Random random, params (T Value, double Weight)[] choices)
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
}
