using System.Globalization;
using System.Text.Json;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Geo.Crs;

namespace SettlementMap.Web.Features.Export;

/// <summary>The type a column has in the typed formats (GeoPackage, Shapefile).</summary>
public enum ExportColumnType { WholeNumber, Real, Text, Date, DateTime }

/// <summary>One exported attribute: its full name and type.</summary>
public sealed record ExportColumn(string Name, ExportColumnType Type)
{
    /// <summary>The column's value in a row's properties, typed: long, double, string, DateOnly, DateTime (UTC) or null.</summary>
    public object? Read(JsonElement properties)
    {
        if (!properties.TryGetProperty(Name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return Type switch
        {
            ExportColumnType.WholeNumber => value.GetInt64(),
            ExportColumnType.Real => value.GetDouble(),
            ExportColumnType.Date => DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            ExportColumnType.DateTime => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture).UtcDateTime,
            _ => value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(),
        };
    }
}

/// <summary>The exported columns (the CSV's, in its order) with their types, and the facts a file states about its CRS.</summary>
public static class ExportColumns
{
    /// <summary>Every column an export can have: the export attributes, with estimated_inhabitants_below (the generalised public view's).</summary>
    public static IReadOnlyList<ExportColumn> All { get; } =
        [.. SettlementSchema.Attributes.Where(a => a.In(Outputs.Export)).Select(a => new ExportColumn(a.Name, TypeOf(a.Type)))];

    /// <summary>The columns of an export for <paramref name="shown"/>'s viewer: the export attributes they see, in order.</summary>
    public static IReadOnlyList<ExportColumn> For(Disclosure shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        return [.. shown.In(Outputs.Export).Select(a => All.Single(c => c.Name == a.Name))];
    }

    private static ExportColumnType TypeOf(AttributeType type) => type switch
    {
        AttributeType.WholeNumber => ExportColumnType.WholeNumber,
        AttributeType.Number => ExportColumnType.Real,
        AttributeType.Date => ExportColumnType.Date,
        AttributeType.DateTime => ExportColumnType.DateTime,
        _ => ExportColumnType.Text,
    };

    /// <summary>Whether the CRS's coordinates are degrees (CRS84, EPSG:4326) rather than metres.</summary>
    public static bool IsGeographic(SupportedCrs crs) => crs?.Epsg is null or 4326;

    /// <summary>The names of x and y in the CRS: lon/lat or easting/northing.</summary>
    public static (string X, string Y) AxisNames(SupportedCrs crs) => IsGeographic(crs) ? ("lon", "lat") : ("easting", "northing");

    /// <summary>The EPSG code a file names for the CRS: 4326 for CRS84 too, since the file's coordinates are x/y (longitude first) either way.</summary>
    public static int FileEpsg(SupportedCrs crs) => crs?.Epsg ?? 4326;
}
