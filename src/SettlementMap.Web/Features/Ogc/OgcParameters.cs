using SettlementMap.Web.Features.Ogc.Cql2;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// A query parameter of the OGC API as the OpenAPI document states it. The handlers read the
/// query only through <see cref="OgcQuery"/> built from these lists, so the API definition and
/// what the code reads cannot drift apart. Schema is an OpenAPI 3.0 schema object; Property, for
/// a property=value filter, the queryable it compares.
/// </summary>
public sealed record OgcParameter(string Name, string Description, IReadOnlyDictionary<string, object?> Schema, Cql2Queryable? Property = null);

/// <summary>Every query parameter of every operation under /ogc: the one declaration.</summary>
public static class OgcParameters
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    public static readonly OgcParameter F = new("f",
        "The representation: json (GeoJSON for features) or html. Without it the Accept header decides; JSON is the default.",
        Schema("string", ("enum", new[] { "json", "html" })));

    public static readonly OgcParameter Limit = new("limit",
        $"The most features in one page (1 to {MaxLimit}; a larger value is taken as {MaxLimit}, as Part 1 asks). Follow the next link for more.",
        Schema("integer", ("minimum", 1), ("maximum", MaxLimit), ("default", DefaultLimit)));

    public static readonly OgcParameter Offset = new("offset",
        "How many features of the ordered result to skip (after cursor, if given). The next links carry a cursor instead; offset is kept for clients that count.",
        Schema("integer", ("minimum", 0), ("default", 0)));

    public static readonly OgcParameter Cursor = new("cursor",
        "Where a page continues: the value a next link carries (opaque; the page starts after the item it names).",
        Schema("string", ("maxLength", OgcCursor.MaxLength)));

    public static readonly OgcParameter Bbox = new("bbox",
        "Only features whose geometry intersects this box: minx,miny,maxx,maxy (or six numbers with minz and maxz, the heights are ignored) in the axis order of bbox-crs; CRS84 longitude/latitude by default.",
        Schema("array", ("minItems", 4), ("maxItems", 6), ("items", Schema("number"))));

    public static readonly OgcParameter BboxCrs = new("bbox-crs", "The CRS of bbox (OGC API – Features Part 2).", CrsSchema());

    public static readonly OgcParameter Crs = new("crs", "The CRS of the geometries in the response (Part 2); CRS84 by default. The Content-Crs header names it.", CrsSchema());

    public static readonly OgcParameter Datetime = new("datetime",
        "Only features whose time meets this instant or interval (RFC 3339): 2020-01-01T00:00:00Z, 2020-01-01, 2019-01-01/2020-12-31, ../2020-12-31, 2019-01-01/.., 2019-01-01/ or /2020-12-31. " +
        "Settlements: the day the data was collected; coverage: a record's period (no last day: still current); municipalities have no time, so every one matches.",
        Schema("string"));

    public static readonly OgcParameter Filter = new("filter",
        $"A CQL2-text filter (Part 3) over the queryables, e.g. estimated_inhabitants > 1000 AND water_supply IN ('none','wells'); at most {Cql2Text.MaxLength} characters.",
        Schema("string", ("maxLength", Cql2Text.MaxLength)));

    public static readonly OgcParameter FilterLang = new("filter-lang", "The language of filter: only cql2-text.",
        Schema("string", ("enum", new[] { "cql2-text" }), ("default", "cql2-text")));

    public static readonly OgcParameter FilterCrs = new("filter-crs", "The CRS of geometries in filter: only CRS84.",
        Schema("string", ("format", "uri"), ("enum", new[] { CrsRegistry.Crs84Uri }), ("default", CrsRegistry.Crs84Uri)));

    public static readonly OgcParameter Unplanned = new("unplanned",
        "Settlements only: those lacking a value with no measure planned for it, as attribute:target (e.g. water_supply:network): the attribute " +
        "(one of " + string.Join(", ", UnplannedTarget.Attributes) + ") is known and not the target, and no measure that is not dropped aims at that attribute " +
        "and names the settlement. As the map's filter of the same name; with datetime, the settlements of then against the measures of now.",
        Schema("string", ("maxLength", 64), ("pattern", "^[a-z_]+:[a-z_]+$")));

    /// <summary>The landing page, conformance, API, collections, one collection and its queryables read only f.</summary>
    public static IReadOnlyList<OgcParameter> Document { get; } = [F];

    /// <summary>One feature.</summary>
    public static IReadOnlyList<OgcParameter> Item { get; } = [F, Crs];

    /// <summary>
    /// The items of a collection (as a viewer sees it, <see cref="OgcCollections.Find(string, Sensitivity.Disclosure)"/>):
    /// paging, bbox, crs, datetime, CQL2 and one property=value filter per queryable. A property the viewer
    /// does not see has no filter, so naming it is an unknown parameter, as for one that does not exist.
    /// </summary>
    public static IReadOnlyList<OgcParameter> Items(OgcCollectionInfo collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        return
        [
            F, Limit, Offset, Cursor, Bbox, BboxCrs, Crs, Datetime, Filter, FilterLang, FilterCrs,
            .. (collection.TakesUnplanned ? [Unplanned] : Array.Empty<OgcParameter>()),
            .. collection.Queryables.Values.Where(q => q.Type != Cql2Type.Geometry).Select(q => PropertyFilter(collection, q)),
        ];
    }

    /// <summary>A queryable's JSON Schema type (shared by the queryables document and the OpenAPI parameters).</summary>
    public static Dictionary<string, object?> TypeSchema(Cql2Queryable queryable, CodeList? codes)
    {
        ArgumentNullException.ThrowIfNull(queryable);
        var schema = queryable.Type switch
        {
            Cql2Type.Integer => Schema("integer"),
            Cql2Type.Number => Schema("number"),
            Cql2Type.Boolean => Schema("boolean"),
            Cql2Type.Date => Schema("string", ("format", "date")),
            Cql2Type.Geometry => new Dictionary<string, object?> { ["format"] = "geometry-any" },
            _ => Schema("string"),
        };
        if (codes is not null)
        {
            schema["enum"] = codes.Values;
        }
        return schema;
    }

    private static OgcParameter PropertyFilter(OgcCollectionInfo collection, Cql2Queryable queryable) =>
        new(queryable.Name, $"Only features whose {queryable.Name} equals this value.", TypeSchema(queryable, collection.CodeLists.GetValueOrDefault(queryable.Name)), queryable);

    private static Dictionary<string, object?> CrsSchema() =>
        Schema("string", ("format", "uri"), ("enum", CrsRegistry.All.Select(c => c.Uri).ToArray()), ("default", CrsRegistry.Crs84Uri));

    private static Dictionary<string, object?> Schema(string type, params (string Key, object? Value)[] members)
    {
        var schema = new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = type };
        foreach (var (key, value) in members)
        {
            schema[key] = value;
        }
        return schema;
    }
}
