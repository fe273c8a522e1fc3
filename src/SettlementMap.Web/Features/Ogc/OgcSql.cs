using System.Globalization;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Features.Ogc.Cql2;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// What an items request selects, already checked: a CRS84 box, property=value filters (the
/// queryable and its text, which parses as the queryable's type), a datetime, a translated CQL2 filter, and the settlements'
/// unplanned filter with the viewer it compares for (<see cref="SettlementSql.Unplanned"/>).
/// </summary>
public sealed record OgcItemsFilter(
    Envelope? Bbox, IReadOnlyList<(Cql2Queryable Queryable, string Value)> Properties, OgcDatetime? Datetime, Cql2Translation? Filter,
    UnplannedTarget? Unplanned = null, Sensitivity.Disclosure? Shown = null);

/// <summary>
/// The OGC API's SQL, in one place: a collection's SQL pieces are fixed text of ours
/// (<see cref="OgcCollections"/>), a request only picks one by id, and every value travels as a parameter.
/// </summary>
public static class OgcSql
{
    /// <summary>The collection's spatial extent (CRS84) and first and last day, from the table itself.</summary>
    public static string Extent(OgcCollectionInfo collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var (firstDay, lastDay) = collection.TemporalExtent
            ?? (collection.Temporal is { } t ? ($"min({t.Start})", Bound(t.End, t.OpenWhenNull)) : ("NULL::date", "NULL::date"));
        return $"""
            SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), first_day, last_day
            FROM (SELECT ST_Extent({collection.Geometry}) AS e, {firstDay} AS first_day, {lastDay} AS last_day FROM {collection.From}) x
            """;
    }

    // A record with an open end (still current) leaves the collection's extent open at that end.
    private static string Bound(string column, bool openWhenNull) =>
        openWhenNull ? $"CASE WHEN bool_or({column} IS NULL) THEN NULL ELSE max({column}) END" : $"max({column})";

    /// <summary>How many features the filter matches (numberMatched).</summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Count(OgcCollectionInfo collection, OgcItemsFilter filter)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var (from, where, parameters) = Where(collection, filter);
        return ($"SELECT count(*) FROM {from}{where}", parameters);
    }

    /// <summary>
    /// One page of the matching features in key order, after <paramref name="after"/> (a next link's cursor) and
    /// <paramref name="offset"/> more (an older client's offset): id, geometry as the viewer sees it (CRS84,
    /// counter-clockwise shells), properties (JSON text), then the key. One row more than the page tells
    /// whether there is a next one. The select list is computed only for the rows returned (keyset, not OFFSET).
    /// With <c>geoJson</c> (CRS84) the geometry comes as GeoJSON text built by PostGIS, as the layers' does
    /// (<see cref="GeoJsonDecimals"/> decimals), and is copied out as it is; without, as a geometry for ProjNet.
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Page(OgcCollectionInfo collection, OgcItemsFilter filter, int limit, int offset, OgcCursor? after = null,
        bool geoJson = false)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var (from, where, parameters) = Where(collection, filter, after);
        parameters.Add(new NpgsqlParameter<int>("limit", limit));
        parameters.Add(new NpgsqlParameter<int>("offset", offset));
        var key = string.Join(", ", collection.Key);
        return ($"""
            SELECT {collection.IdColumn}, {(geoJson ? GeoJsonGeometry(collection) : $"ST_ForcePolygonCCW({collection.Geometry})")}, {collection.Properties}, {key}
            FROM {from}{where}
            ORDER BY {key}
            LIMIT @limit + 1 OFFSET @offset
            """, parameters);
    }

    /// <summary>
    /// Decimals of the coordinates the database writes for CRS84 items: 9 (about 0.1 mm), PostGIS's default, so that a
    /// researcher gets the stored coordinates, not the map layers' 6 (about 10 cm).
    /// </summary>
    public const int GeoJsonDecimals = 9;

    private static string GeoJsonGeometry(OgcCollectionInfo collection) =>
        $"COALESCE(ST_AsGeoJSON(ST_ForcePolygonCCW({collection.Geometry}), {GeoJsonDecimals.ToString(CultureInfo.InvariantCulture)}), 'null')";

    /// <summary>One feature by id, as <see cref="Page"/> gives each.</summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Item(OgcCollectionInfo collection, long id)
    {
        ArgumentNullException.ThrowIfNull(collection);
        return ($"""
            SELECT {collection.IdColumn}, ST_ForcePolygonCCW({collection.Geometry}), {collection.Properties}
            FROM {collection.From} WHERE {collection.IdColumn} = @id
            """, [new NpgsqlParameter<long>("id", id)]);
    }

    /// <summary>
    /// The items filter's FROM (the collection's, or its history at the datetime) and WHERE clause; each call
    /// makes its own parameters (a parameter belongs to one command).
    /// </summary>
    private static (string From, string Where, List<NpgsqlParameter> Parameters) Where(OgcCollectionInfo collection, OgcItemsFilter filter, OgcCursor? after = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = new List<string>();
        var parameters = new List<NpgsqlParameter>();
        var from = collection.From;
        if (filter.Datetime is { } datetime && collection.FromAt is { } fromAt)
        {
            var time = datetime.SettlementTime;
            time.AddParameters(parameters);
            from = fromAt(time);
        }
        if (filter.Bbox is { } b)
        {
            where.Add(collection.Intersects("ST_MakeEnvelope(@bbox_min_x, @bbox_min_y, @bbox_max_x, @bbox_max_y, 4326)"));
            parameters.Add(new NpgsqlParameter<double>("bbox_min_x", b.MinX));
            parameters.Add(new NpgsqlParameter<double>("bbox_min_y", b.MinY));
            parameters.Add(new NpgsqlParameter<double>("bbox_max_x", b.MaxX));
            parameters.Add(new NpgsqlParameter<double>("bbox_max_y", b.MaxY));
        }
        foreach (var ((queryable, value), index) in filter.Properties.Select((p, i) => (p, i)))
        {
            var parameterName = "p" + index.ToString(CultureInfo.InvariantCulture);
            where.Add($"{queryable.SqlExpression} = @{parameterName}");
            parameters.Add(PropertyParameter(parameterName, queryable, value));
        }
        // A collection without time (municipalities) matches every datetime: Part 1, /req/core/fc-time-response C.
        if (filter.Datetime is not null && collection.FromAt is null && collection.Temporal is { } temporal)
        {
            where.Add(filter.Datetime.Where(temporal, parameters));
        }
        if (filter.Unplanned is { } unplanned)
        {
            where.Add(SettlementSql.Unplanned(unplanned, filter.Shown ?? Sensitivity.Disclosure.Everything, parameters));
        }
        if (filter.Filter is not null)
        {
            where.Add(filter.Filter.Sql);
            parameters.AddRange(filter.Filter.Parameters.Select(p => p.Clone()));
        }
        if (after is not null)
        {
            // A row comparison orders as ORDER BY the key does; with one column it is a plain one the index serves.
            var names = after.Key.Select((_, i) => "@after" + i.ToString(CultureInfo.InvariantCulture)).ToList();
            where.Add(collection.Key.Count == 1
                ? $"{collection.Key[0]} > {names[0]}"
                : $"({string.Join(", ", collection.Key)}) > ({string.Join(", ", names)})");
            parameters.AddRange(after.Key.Select((k, i) => new NpgsqlParameter<long>("after" + i.ToString(CultureInfo.InvariantCulture), k)));
        }
        return (from, SqlConditions.Where(where), parameters);
    }

    private static NpgsqlParameter PropertyParameter(string name, Cql2Queryable queryable, string text)
    {
        OgcQuery.TryPropertyValue(queryable, text, out var value);
        return queryable.Type switch
        {
            Cql2Type.Integer => new NpgsqlParameter(name, NpgsqlDbType.Bigint) { Value = value },
            Cql2Type.Number => new NpgsqlParameter(name, NpgsqlDbType.Numeric) { Value = value },
            Cql2Type.Date => new NpgsqlParameter(name, NpgsqlDbType.Date) { Value = value },
            Cql2Type.Boolean => new NpgsqlParameter(name, NpgsqlDbType.Boolean) { Value = value },
            _ => new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = value },
        };
    }
}
