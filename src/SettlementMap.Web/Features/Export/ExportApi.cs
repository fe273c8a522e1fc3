using System.Globalization;
using System.Text.Json;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Geo.Crs;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Export;

/// <summary>
/// Downloads of the settlements with the map's filters: RFC 7946 GeoJSON (always CRS84), CSV (UTF-8
/// with a byte-order mark so spreadsheets keep Cyrillic; WKT or centroid columns in a chosen CRS),
/// GeoPackage and zipped Shapefile (in a chosen CRS), and the metadata that goes with them. GeoJSON and
/// CSV stream from PostGIS to the client a row at a time; GeoPackage and Shapefile are written to a
/// temporary file a row at a time, then streamed from it. Coordinates are always x/y (longitude or
/// easting first) except where a format says otherwise (none of these does). Every export holds what its
/// viewer sees (Features/Sensitivity: the columns, a generalised settlement's point); an export by a signed-in
/// viewer is recorded (export_records), and administrators read the records at /api/export/records.
/// </summary>
public static class ExportApi
{
    private static readonly string[] ExportParameters = ["format", "crs", "geometry", .. CsvHeaders.Parameters];
    private static readonly string[] Formats = ["geojson", "csv", "gpkg", "shapefile", "metadata"];

    /// <summary>
    /// The exported attributes in their order (SettlementSchema's export output), as an administrator gets them
    /// (the import's column matching reads these); an export has the ones its viewer sees (<see cref="ExportColumns.For"/>).
    /// </summary>
    public static IReadOnlyList<string> CsvColumns { get; } = [.. SettlementSchema.In(Outputs.Export).Select(a => a.Name)];

    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/export/records", GetExportRecords).WithTags("Export").WithName(nameof(GetExportRecords))
            .RequireAuthorization(Authentication.AdministratorPolicy)
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies)
            .WithSummary("The exports made by signed-in viewers, latest first: who, when, level, format, filter, number of settlements (administrators; limit, before_id)");
        app.MapGet("/api/export/settlements", ExportSettlements).WithTags("Export").WithName(nameof(ExportSettlements)).PrivateWhenRestricted()
            .WithSummary("Settlements with the layer's filters as GeoJSON (format=geojson, CRS84), CSV (format=csv, crs=…, geometry=wkt|lonlat|none, headers=codes|labels, lang=sr-Latn|sr-Cyrl|en), GeoPackage (format=gpkg, crs=…), zipped Shapefile (format=shapefile, crs=…) or the metadata (format=metadata, crs=…)")
            .WithDescription("The filters are the settlements layer's (municipality, district, water_supply, … min_inhabitants). Coordinates are x/y (longitude/easting first) in every format and CRS. CSV is UTF-8 with a BOM; its WKT column is named _WKT_EPSG_n for GDAL. headers=labels heads the attribute columns with their labels in lang (en by default) instead of their names.");
        return app;
    }

    public static async Task<IResult> ExportSettlements(
        HttpContext context, ReadRoute route, SettlementMapDbContext db, ProjectPaths paths,
        [AsParameters] SettlementAreaQuery filters,
        [FromQuery(Name = "format")] string? formatText,
        [FromQuery(Name = "crs")] string? crsText,
        [FromQuery(Name = "geometry")] string? geometryText,
        [FromQuery(Name = "headers")] string? headersText,
        [FromQuery(Name = "lang")] string? headersLanguage,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(filters);
        var request = context.Request;
        var query = new QueryParameters();
        var filter = await filters.ReadAsync(query, request, db, cancellationToken, ExportParameters);
        var format = formatText is { Length: > 0 } f ? f : "geojson";
        if (!Formats.Contains(format))
        {
            query.AddError("format", $"format is {string.Join(", ", Formats)}; got '{format}'.");
        }
        var crs = CrsRegistry.Crs84;
        if (crsText is { Length: > 0 })
        {
            if (!CrsRegistry.TryParse(crsText, out var parsed))
            {
                query.AddError("crs", $"Unsupported crs '{crsText}'; supported: {string.Join(", ", CrsRegistry.All.Select(c => c.Uri))}.");
            }
            else if (format == "geojson" && parsed!.Epsg is not null)
            {
                query.AddError("crs", "GeoJSON (RFC 7946) is always CRS84 longitude/latitude; use format=csv, gpkg or shapefile for another CRS.");
            }
            else
            {
                crs = parsed!;
            }
        }
        var geometry = geometryText is { Length: > 0 } g ? g : "wkt";
        if (geometry is not ("wkt" or "lonlat" or "none"))
        {
            query.AddError("geometry", $"geometry is wkt, lonlat or none; got '{geometry}'.");
        }
        else if (format is "gpkg" or "shapefile" && geometry != "wkt")
        {
            query.AddError("geometry", $"geometry=lonlat and geometry=none are for format=csv; a {format} export always carries the outlines.");
        }
        var headerLanguage = CsvHeaders.ReadLanguage(query, format, headersText, headersLanguage);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The export request has invalid parameters.");
        }

        // The metadata quotes the filters as the request wrote them (its URL, as the ETags do); their values are read above.
        var filterText = string.Join("&", request.Query.Where(p => !ExportParameters.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        var shown = filter.Shown;
        var metadata = ExportMetadata.Describe(format, crs, geometry, filterText, DateTimeOffset.UtcNow, shown);
        if (format == "metadata")
        {
            return TypedResults.Json(metadata, ExportMetadata.Json);
        }
        var (where, parameters) = SettlementSql.Conditions(filter);
        var rows = new ExportQuery(route.DataSource, SettlementSql.Joined(filter), where, parameters, shown);
        // Recorded before the first byte leaves: a download that fails half-way was still an export of what it held.
        await ExportRecords.RecordAsync(db, shown, format, crs, filterText, rows, cancellationToken);
        var fileName = ExportFileName.For(request.Query, filters.Names(), crs.Epsg, DateOnly.FromDateTime(DateTime.UtcNow));
        switch (format)
        {
            case "geojson":
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}.geojson\"";
                return new GeoJsonFeaturesResult(route.DataSource, rows.GeoJsonSql, rows.Parameters, "\"metadata\":" + JsonSerializer.Serialize(metadata, ExportMetadata.Json));
            case "gpkg":
                return await ExportFiles.StreamAsync(GeoPackageExport.MediaType, fileName + ".gpkg", ".gpkg",
                    (_, file) => GeoPackageExport.WriteAsync(file, rows, crs, ExportMetadata.Title, cancellationToken));
            case "shapefile":
                return await ExportFiles.StreamAsync(ShapefileExport.MediaType, fileName + ".shp.zip", ".zip", // GDAL (3.1+) and QGIS open a *.shp.zip as it is
                    (folder, file) => ShapefileExport.WriteAsync(folder, file, rows, crs, JsonSerializer.Serialize(metadata, ExportMetadata.Json), cancellationToken));
            default:
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}.csv\"";
                return new CsvExportResult(rows, crs, geometry, headerLanguage);
        }
    }

    /// <summary>The export records, latest first: <c>limit</c> of them (1–500, 100 by default) with ids below <c>before_id</c> when given (the next page).</summary>
    public static async Task<Results<Ok<ExportRecordsPage>, ValidationProblem>> GetExportRecords(
        HttpRequest request, SettlementMapDbContext db,
        [FromQuery(Name = "limit")] string? limit,
        [FromQuery(Name = "before_id")] string? beforeId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, ["limit", "before_id"]);
        var take = query.WholeNumber("limit", limit, 1, ExportRecords.MaxPage) ?? ExportRecords.DefaultPage;
        var before = query.WholeNumber("before_id", beforeId, 1, int.MaxValue);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The export records request has invalid parameters.");
        }
        return TypedResults.Ok(await ExportRecords.PageAsync(db, take, before, cancellationToken));
    }
}
