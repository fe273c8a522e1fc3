using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using SettlementMap.Web.Geo.Crs;

using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// A GeoJSON FeatureCollection, streamed: opening walks the whole file once token by token (its
/// validity, the union of property names in order of appearance, a legacy "crs" member wherever it
/// is), and reading walks it again, parsing one feature at a time.
/// </summary>
/// <remarks>
/// Axis order: RFC 7946 GeoJSON is longitude, latitude. Legacy GeoJSON with a "crs" member (GDAL
/// before RFC 7946, QGIS exports) writes easting/longitude first even for EPSG:4326 and 3909, whose
/// official order is the other way round, so coordinates are always read as x = easting/longitude.
/// </remarks>
internal sealed class GeoJsonSource : IImportSource
{
    private static readonly JsonSerializerOptions GeometryOptions = new() { Converters = { new GeoJsonConverterFactory() } };

    private readonly string _path;
    private readonly ImportLimits _limits;

    private GeoJsonSource(string path, ImportLimits limits, SourceDescription description)
    {
        _path = path;
        _limits = limits;
        Description = description;
    }

    public SourceDescription Description { get; }

    public static async Task<IImportSource> OpenAsync(string path, ImportLimits limits, CancellationToken cancellationToken)
    {
        await using var stream = OpenFile(path);
        var json = new JsonChunkReader(stream, limits.MaxRecordBytes, validateUtf8: true);
        string? type = null;
        var sawFeatures = false;
        (SupportedCrs? Crs, string? Note)? crs = null;
        var columns = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            if (!await json.ReadAsync(cancellationToken))
            {
                throw new ImportFileException("The file is empty.");
            }

            if (json.TokenType != JsonTokenType.StartObject)
            {
                throw NotACollection();
            }

            while (await json.ReadAsync(cancellationToken) && json.TokenType == JsonTokenType.PropertyName)
            {
                switch (json.Text)
                {
                    case "type":
                        using (var document = await json.ReadValueAsync(cancellationToken))
                        {
                            type = document!.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString() : null;
                        }

                        break;
                    case "crs":
                        using (var document = await json.ReadValueAsync(cancellationToken))
                        {
                            crs = LegacyCrs(document!.RootElement);
                        }

                        break;
                    case "features":
                        sawFeatures = true;
                        await ScanFeaturesAsync(json, columns, known, limits, cancellationToken);
                        break;
                    default:
                        await json.SkipValueAsync(cancellationToken);
                        break;
                }
            }
        }
        catch (JsonException exception)
        {
            throw NotJson(exception);
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException("The GeoJSON file is not UTF-8 text, which GeoJSON must be. Export it again as UTF-8.");
        }

        if (type is "Feature" or "Point" or "MultiPoint" or "LineString" or "MultiLineString" or "Polygon" or "MultiPolygon" or "GeometryCollection")
        {
            throw new ImportFileException($"The file holds a single GeoJSON {type}, not a FeatureCollection: export the layer as a FeatureCollection (every GIS does by default).");
        }

        if (type != "FeatureCollection" || !sawFeatures)
        {
            throw NotACollection();
        }

        // RFC 7946: GeoJSON without a "crs" member is WGS 84 longitude/latitude.
        var (declared, note) = crs ?? (CrsRegistry.Crs84, null);
        var description = new SourceDescription("GeoJSON", columns, declared, note, HasGeometry: true, "utf-8", Layer: null);
        return new GeoJsonSource(path, limits, description);
    }

    public async IAsyncEnumerable<SourceRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = OpenFile(_path);
        var json = new JsonChunkReader(stream, _limits.MaxRecordBytes, validateUtf8: false);
        await json.ReadAsync(cancellationToken); // the root object, checked on opening
        while (await json.ReadAsync(cancellationToken) && json.TokenType == JsonTokenType.PropertyName)
        {
            if (json.Text != "features")
            {
                await json.SkipValueAsync(cancellationToken);
                continue;
            }

            await json.ReadAsync(cancellationToken); // [
            long number = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                SourceRow row;
                using (var feature = await ReadFeatureAsync(json, cancellationToken))
                {
                    if (feature is null)
                    {
                        break;
                    }

                    row = ToRow(++number, feature.RootElement);
                }

                yield return row;
            }

            yield break;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    private static async Task<JsonDocument?> ReadFeatureAsync(JsonChunkReader json, CancellationToken cancellationToken)
    {
        try
        {
            return await json.ReadValueAsync(cancellationToken);
        }
        catch (JsonException exception)
        {
            throw NotJson(exception);
        }
    }

    /// <summary>Walks the features array: each must be an object; collects property names in order of first appearance.</summary>
    private static async Task ScanFeaturesAsync(JsonChunkReader json, List<string> columns, HashSet<string> known, ImportLimits limits, CancellationToken cancellationToken)
    {
        if (!await json.ReadAsync(cancellationToken) || json.TokenType != JsonTokenType.StartArray)
        {
            throw new ImportFileException("The GeoJSON member \"features\" is not a list of features.");
        }

        var index = 0;
        while (await json.ReadAsync(cancellationToken) && json.TokenType != JsonTokenType.EndArray)
        {
            cancellationToken.ThrowIfCancellationRequested();
            index++;
            if (json.TokenType != JsonTokenType.StartObject)
            {
                throw new ImportFileException($"Feature {index} of the GeoJSON file is not an object: every element of \"features\" must be a Feature.");
            }

            var featureDepth = json.Depth;
            while (await json.ReadAsync(cancellationToken) && !(json.TokenType == JsonTokenType.EndObject && json.Depth == featureDepth))
            {
                if (json.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (json.Text != "properties")
                {
                    await json.SkipValueAsync(cancellationToken);
                    continue;
                }

                await json.ReadAsync(cancellationToken);
                if (json.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (json.TokenType != JsonTokenType.StartObject)
                {
                    throw new ImportFileException($"The \"properties\" of feature {index} of the GeoJSON file are not an object.");
                }

                var propertiesDepth = json.Depth;
                while (await json.ReadAsync(cancellationToken) && !(json.TokenType == JsonTokenType.EndObject && json.Depth == propertiesDepth))
                {
                    if (json.Text is { } name && known.Add(name))
                    {
                        columns.Add(name);
                        if (columns.Count > limits.MaxColumns)
                        {
                            throw ImportLimits.Exceeded("columns", $"The features of the GeoJSON file have more than {limits.MaxColumns} different properties, more than one import may have. Keep only the properties you import.");
                        }
                    }

                    await json.SkipValueAsync(cancellationToken);
                }
            }
        }
    }

    private static SourceRow ToRow(long number, JsonElement feature)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (feature.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                values[JsonStrings.Name(property)] = property.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => JsonStrings.Get(property.Value) is { Length: > 0 } text ? text : null,
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => property.Value.GetRawText(), // numbers as written (JSON numbers are invariant), nested values as JSON
                };
            }
        }

        if (!feature.TryGetProperty("geometry", out var geometryElement) || geometryElement.ValueKind == JsonValueKind.Null)
        {
            return new SourceRow(number, values, null, null);
        }

        try
        {
            var geometry = geometryElement.Deserialize<Geometry>(GeometryOptions);
            return geometry is null
                ? new SourceRow(number, values, null, "the geometry could not be read")
                : new SourceRow(number, values, geometry, null);
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
        {
            return new SourceRow(number, values, null, $"the geometry could not be read ({exception.Message.TrimEnd('.')})");
        }
    }

    /// <summary>
    /// A pre-RFC 7946 "crs" member: {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3909"}},
    /// also "EPSG:3909" and the OGC URIs; {"type":"EPSG","properties":{"code":3909}} from the 2008 spec.
    /// </summary>
    internal static (SupportedCrs? Crs, string? Note) LegacyCrs(JsonElement crs)
    {
        if (crs.ValueKind == JsonValueKind.Null)
        {
            return (CrsRegistry.Crs84, null);
        }

        string? name = null;
        if (crs.ValueKind == JsonValueKind.Object && crs.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            if (properties.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String)
            {
                name = nameElement.GetString();
            }
            else if (properties.TryGetProperty("code", out var code) && code.ValueKind is JsonValueKind.Number or JsonValueKind.String)
            {
                name = "EPSG:" + (code.ValueKind == JsonValueKind.Number ? code.GetRawText() : code.GetString());
            }
        }

        if (name is null)
        {
            return (null, "The file's \"crs\" member names no coordinate system we can read: choose it yourself.");
        }

        return ParseCrsName(name) is { } parsed
            ? (parsed, null)
            : (null, $"The file declares the coordinate system \"{name}\", which we do not support: choose one we do, or export the data in EPSG:4326.");
    }

    /// <summary>"urn:ogc:def:crs:EPSG::3909", "urn:ogc:def:crs:EPSG:6.6:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:3909", OGC URIs.</summary>
    internal static SupportedCrs? ParseCrsName(string name)
    {
        var text = name.Trim();
        if (text.StartsWith("urn:ogc:def:crs:", StringComparison.OrdinalIgnoreCase))
        {
            var parts = text.Split(':');
            var authority = parts.Length > 4 ? parts[4] : "";
            var code = parts[^1];
            if (authority.Equals("OGC", StringComparison.OrdinalIgnoreCase) && code.Equals("CRS84", StringComparison.OrdinalIgnoreCase))
            {
                return CrsRegistry.Crs84;
            }

            text = authority.Equals("EPSG", StringComparison.OrdinalIgnoreCase) ? "EPSG:" + code : text;
        }

        if (text.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase) && text[5..].Trim() == "6316")
        {
            text = "EPSG:3909"; // 3909's non-deprecated twin; same datum and projection
        }

        return CrsRegistry.TryParse(text, out var crs) ? crs : null;
    }

    private static ImportFileException NotACollection() =>
        new("The file is not a GeoJSON FeatureCollection: it must be a JSON object with \"type\": \"FeatureCollection\" and a \"features\" list.");

    private static ImportFileException NotJson(JsonException exception) =>
        new($"The file is not valid JSON (line {(exception.LineNumber ?? 0) + 1}): it may be cut off or damaged. Export it again.");
}
