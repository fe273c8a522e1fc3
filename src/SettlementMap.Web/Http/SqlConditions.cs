using Npgsql;
using SettlementMap.Web.Geo;

namespace SettlementMap.Web.Http;

/// <summary>
/// The pieces a WHERE clause of ours is assembled from: each adds a fixed predicate over a column of
/// ours and its value as a parameter, so no request value is ever part of the SQL text.
/// </summary>
public static class SqlConditions
{
    /// <summary>" WHERE a AND b", or nothing without predicates.</summary>
    public static string Where(IReadOnlyCollection<string> predicates)
    {
        ArgumentNullException.ThrowIfNull(predicates);
        return predicates.Count == 0 ? "" : " WHERE " + string.Join(" AND ", predicates);
    }

    public static void AddBbox(List<string> where, List<NpgsqlParameter> parameters, string column, BoundingBox? bbox) =>
        AddBbox(where, parameters, envelope => $"ST_Intersects({column}, {envelope})", bbox);

    /// <summary>A bounding box as <paramref name="intersects"/> compares it with the envelope (EPSG:4326, from parameters).</summary>
    public static void AddBbox(List<string> where, List<NpgsqlParameter> parameters, Func<string, string> intersects, BoundingBox? bbox)
    {
        ArgumentNullException.ThrowIfNull(where);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(intersects);
        if (bbox is not { } b)
        {
            return;
        }
        where.Add(intersects("ST_MakeEnvelope(@min_lon, @min_lat, @max_lon, @max_lat, 4326)"));
        parameters.Add(new NpgsqlParameter<double>("min_lon", b.MinLon));
        parameters.Add(new NpgsqlParameter<double>("min_lat", b.MinLat));
        parameters.Add(new NpgsqlParameter<double>("max_lon", b.MaxLon));
        parameters.Add(new NpgsqlParameter<double>("max_lat", b.MaxLat));
    }

    public static void AddEquals(List<string> where, List<NpgsqlParameter> parameters, string column, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(where);
        ArgumentNullException.ThrowIfNull(parameters);
        if (value is null)
        {
            return;
        }
        where.Add($"{column} = @{name}");
        parameters.Add(new NpgsqlParameter<string>(name, value));
    }

    public static void AddBound(List<string> where, List<NpgsqlParameter> parameters, string predicate, string name, int? value)
    {
        ArgumentNullException.ThrowIfNull(where);
        ArgumentNullException.ThrowIfNull(parameters);
        if (value is not { } v)
        {
            return;
        }
        where.Add(predicate);
        parameters.Add(new NpgsqlParameter<int>(name, v));
    }

    public static void AddAny(List<string> where, List<NpgsqlParameter> parameters, string column, string name, string[]? values)
    {
        ArgumentNullException.ThrowIfNull(where);
        ArgumentNullException.ThrowIfNull(parameters);
        if (values is null)
        {
            return;
        }
        where.Add($"{column} = ANY(@{name})");
        parameters.Add(new NpgsqlParameter<string[]>(name, values));
    }
}
