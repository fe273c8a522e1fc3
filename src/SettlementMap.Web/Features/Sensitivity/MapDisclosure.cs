using System.Globalization;
using NetTopologySuite.Geometries;
using Npgsql;

namespace SettlementMap.Web.Features.Sensitivity;

/// <summary>What the map's outputs (layers, tiles, search, details) add to <see cref="Disclosure"/>.</summary>
public static class MapDisclosure
{
    /// <summary>
    /// Web Mercator units in a metre on the ground, at most, where the map has settlements: 1/cos(60°),
    /// beyond Serbia's 41–47° N (as <see cref="Disclosure"/>'s degrees), so a distance in these units errs wide.
    /// </summary>
    private const double MercatorUnitsPerMetreAtMost = 2;

    /// <summary>How far a displaced point can be from its centroid, in EPSG:3857 units, erring wide.</summary>
    public static double ReachMercatorUnits(Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        return shown.Policy.Generalisation.RadiusM * MercatorUnitsPerMetreAtMost;
    }

    /// <summary><see cref="ReachMercatorUnits"/> as SQL text (the database's own number, not a request value).</summary>
    public static string ReachMercator(Disclosure shown) => ReachMercatorUnits(shown).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>
    /// The displaced point (<c>disclosed_point</c>) of each of <paramref name="ids"/> that <paramref name="shown"/>
    /// generalises (search zooms to it, the details draw it, instead of the outline); empty when nothing is generalised.
    /// </summary>
    public static async Task<IReadOnlyDictionary<long, Geometry>> DisplacedPointsAsync(
        NpgsqlDataSource dataSource, Disclosure shown, long[] ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(shown);
        var points = new Dictionary<long, Geometry>();
        if (!shown.Generalises || ids.Length == 0)
        {
            return points;
        }
        // Disclosure.Geometry over a null geometry: the displaced point where it generalises, else null.
        await using var command = dataSource.CreateCommand(
            $"SELECT s.id, ST_X(p.point), ST_Y(p.point) FROM settlements s CROSS JOIN LATERAL (SELECT {shown.Geometry("NULL::geometry")} AS point) p " +
            "WHERE s.id = ANY(@ids) AND p.point IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", ids));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            points[reader.GetInt64(0)] = new Point(reader.GetDouble(1), reader.GetDouble(2)) { SRID = 4326 };
        }
        return points;
    }
}
