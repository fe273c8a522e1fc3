using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Layers;
using SettlementMap.Web.Features.Ogc;
using SettlementMap.Web.Geo.Crs;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// Downloads of the settlements with the map's filters: RFC 7946 GeoJSON (always CRS84) or CSV
/// (UTF-8 with a byte-order mark so spreadsheets keep Cyrillic; WKT or centroid columns in a chosen
/// CRS), and the metadata that goes with them. Rows stream from PostGIS to the client one at a
/// time, so memory does not grow with the export.
/// </summary>
public static class ExportApi
{
    private static readonly string[] ExportParameters = ["format", "crs", "geometry"];

    // The same published attributes as the OGC API's settlements collection (its FROM is the layer's).
    private static readonly string From = OgcCollections.Settlements.From;
    private static readonly string Properties = OgcCollections.Settlements.Properties;

    /// <summary>The CSV columns before the geometry, in order: the keys, then every editable attribute, then the derived and kept ones.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } =
    [
        "id", "code", "name_latn", "name_cyrl", "municipality_code", "municipality_name_latn", "municipality_name_cyrl", "district_code",
        .. SettlementFields.All.Select(f => f.Name).Where(n => n is not "name_latn" and not "name_cyrl"),
        "area_m2", "updated_at", "updated_by",
    ];

    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/export/settlements", ExportSettlements).WithTags("Export").WithName(nameof(ExportSettlements))
            .WithSummary("Settlements with the layer's filters as GeoJSON (format=geojson, CRS84), CSV (format=csv, crs=…, geometry=wkt|lonlat|none) or the metadata (format=metadata)")
            .WithDescription("The filters are the settlements layer's (municipality, district, water_supply, … min_inhabitants). CSV is UTF-8 with a BOM; lonlat gives the centroid in the CRS's axis order.");
        return app;
    }

    public static async Task<IResult> ExportSettlements(HttpContext context, NpgsqlDataSource dataSource, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var query = new QueryParameters();
        var known = LayersApi.SettlementFilterParameters.Where(p => p != "zoom").Concat(ExportParameters).ToList();
        var filter = await LayersApi.ReadSettlementFilterAsync(query, request.Query, known, db, cancellationToken);
        var format = request.Query["format"].ToString() is { Length: > 0 } f ? f : "geojson";
        if (format is not ("geojson" or "csv" or "metadata"))
        {
            query.AddError("format", $"format is geojson, csv or metadata; got '{format}'.");
        }
        var crs = CrsRegistry.Crs84;
        if (request.Query["crs"].ToString() is { Length: > 0 } crsText)
        {
            if (!CrsRegistry.TryParse(crsText, out var parsed))
            {
                query.AddError("crs", $"Unsupported crs '{crsText}'; supported: {string.Join(", ", CrsRegistry.All.Select(c => c.Uri))}.");
            }
            else if (format == "geojson" && parsed!.Epsg is not null)
            {
                query.AddError("crs", "GeoJSON (RFC 7946) is always CRS84 longitude/latitude; use format=csv for another CRS.");
            }
            else
            {
                crs = parsed!;
            }
        }
        var geometry = request.Query["geometry"].ToString() is { Length: > 0 } g ? g : "wkt";
        if (geometry is not ("wkt" or "lonlat" or "none"))
        {
            query.AddError("geometry", $"geometry is wkt, lonlat or none; got '{geometry}'.");
        }
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The export request has invalid parameters.");
        }

        var filterText = string.Join("&", request.Query.Where(p => !ExportParameters.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        var metadata = Metadata(format, crs, geometry, filterText, DateTimeOffset.UtcNow);
        if (format == "metadata")
        {
            return TypedResults.Json(metadata);
        }
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var (where, parameters) = LayerSql.SettlementConditions(filter);
        if (format == "geojson")
        {
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"settlements-{stamp}.geojson\"";
            var sql = $"SELECT {GeoJsonFeatureSql.Feature("s.id", "s.geom", 7, Properties)} FROM {From}{where} ORDER BY s.id";
            return new GeoJsonFeaturesResult(dataSource, sql, parameters, "\"metadata\":" + JsonSerializer.Serialize(metadata, MetadataJson));
        }
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"settlements-{stamp}.csv\"";
        return new CsvExportResult(dataSource, $"SELECT {Properties}, s.geom, s.centroid FROM {From}{where} ORDER BY s.id", parameters, crs, geometry);
    }

    private static Dictionary<string, object?> Metadata(string format, SupportedCrs crs, string geometry, string filter, DateTimeOffset now) => new()
    {
        ["title"] = "Roma settlements in Serbia (SettlementMap)",
        ["source"] = "SettlementMap. Demo data: synthetic settlements; municipality seats from GeoNames (CC BY 4.0), country outline from Natural Earth (public domain).",
        ["licence"] = "Settlements: demo data, free to reuse. GeoNames-derived places: CC BY 4.0 (attribute GeoNames).",
        ["exported_at"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["filter"] = filter,
        ["format"] = format,
        ["crs"] = format == "geojson" ? CrsRegistry.Crs84Uri : crs.Uri,
        ["geometry"] = format == "csv" ? geometry switch
        {
            "wkt" => $"column wkt: the outline as WKT in {crs.Uri}, axis order of that CRS",
            "lonlat" => $"columns {string.Join(", ", CsvExportResult.CentroidColumns(crs))}: the centroid in {crs.Uri}",
            _ => "none",
        } : "GeoJSON geometry, CRS84 longitude/latitude, counter-clockwise outer rings (RFC 7946)",
        ["attributes"] = AttributeDictionary(),
    };

    private static List<Dictionary<string, object?>> AttributeDictionary()
    {
        var fixedColumns = new Dictionary<string, string>
        {
            ["id"] = "stable numeric id of the settlement",
            ["code"] = "stable settlement code, used by imports and links",
            ["municipality_code"] = "municipality (ASCII slug)",
            ["municipality_name_latn"] = "municipality name, Latin script",
            ["municipality_name_cyrl"] = "municipality name, Cyrillic script",
            ["district_code"] = "district (GeoNames admin2 code)",
            ["area_m2"] = "area in square metres, from the outline",
            ["updated_at"] = "last change (UTC)",
            ["updated_by"] = "account of the last change",
        };
        var list = new List<Dictionary<string, object?>>();
        foreach (var column in CsvColumns)
        {
            if (SettlementFields.Find(column) is { } field)
            {
                list.Add(new()
                {
                    ["name"] = field.Name,
                    ["type"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(field.Kind.ToString()),
                    ["group"] = field.Group,
                    ["unit"] = field.Unit,
                    ["min"] = field.Min,
                    ["max"] = field.Max,
                    ["values"] = field.List is null ? null : SettlementFields.EnumValues(field.List),
                });
            }
            else
            {
                list.Add(new() { ["name"] = column, ["description"] = fixedColumns.GetValueOrDefault(column) });
            }
        }
        return list;
    }

    private static readonly JsonSerializerOptions MetadataJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>Writes the CSV export row by row with CsvHelper, straight from the database reader to the response.</summary>
public sealed class CsvExportResult(NpgsqlDataSource dataSource, string sql, IReadOnlyList<NpgsqlParameter> parameters, SupportedCrs crs, string geometry) : IResult
{
    public static IReadOnlyList<string> CentroidColumns(SupportedCrs crs)
    {
        ArgumentNullException.ThrowIfNull(crs);
        var geographic = crs.Epsg is null or 4326;
        return (geographic, crs.FirstAxisIsNorthing) switch
        {
            (true, true) => ["lat", "lon"],
            (true, false) => ["lon", "lat"],
            (false, true) => ["northing", "easting"],
            (false, false) => ["easting", "northing"],
        };
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var cancellationToken = httpContext.RequestAborted;
        await using var command = dataSource.CreateCommand(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        httpContext.Response.ContentType = "text/csv; charset=utf-8";
        await using var text = new StreamWriter(httpContext.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024);
        await using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture));
        var wkt = new WKTWriter { MaxCoordinatesPerLine = int.MaxValue };
        foreach (var column in ExportApi.CsvColumns)
        {
            csv.WriteField(column);
        }
        var geometryColumns = geometry switch { "wkt" => ["wkt"], "lonlat" => CentroidColumns(crs), _ => [] };
        foreach (var column in geometryColumns)
        {
            csv.WriteField(column);
        }
        await csv.NextRecordAsync();
        var rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            using (var properties = JsonDocument.Parse(reader.GetString(0)))
            {
                foreach (var column in ExportApi.CsvColumns)
                {
                    csv.WriteField(properties.RootElement.TryGetProperty(column, out var value) ? Cell(value) : "");
                }
            }
            if (geometry == "wkt")
            {
                csv.WriteField(wkt.Write(CrsRegistry.FromCrs84(reader.GetFieldValue<Geometry>(1), crs)));
            }
            else if (geometry == "lonlat")
            {
                var centroid = reader.GetFieldValue<Point>(2);
                var (first, second) = CrsRegistry.FromCrs84(centroid.X, centroid.Y, crs);
                var digits = crs.Epsg is null or 4326 ? "0.#######" : "0.###";
                csv.WriteField(first.ToString(digits, CultureInfo.InvariantCulture));
                csv.WriteField(second.ToString(digits, CultureInfo.InvariantCulture));
            }
            await csv.NextRecordAsync();
            if (++rows % 1000 == 0)
            {
                await text.FlushAsync(cancellationToken);
            }
        }
        await csv.FlushAsync();
    }

    private static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "",
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };
}
