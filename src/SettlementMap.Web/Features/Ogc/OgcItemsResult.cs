using System.Globalization;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Npgsql;
using SettlementMap.Web.Geo.Crs;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// What a page of items is: its collection, output CRS, counts and the links around it. Parameters
/// are the request's but offset and f, each once: a next link must not repeat one (GDAL adds its own copy).
/// </summary>
public sealed record OgcPage(OgcCollectionInfo Collection, SupportedCrs Crs, long Matched, int Limit, int Offset, string Root, IReadOnlyList<(string Name, string Value)> Parameters)
{
    public string Url(int offset, string format)
    {
        var parameters = Parameters
            .Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value))
            .Append("offset=" + offset.ToString(CultureInfo.InvariantCulture))
            .Append("f=" + format);
        return $"{Root}/ogc/collections/{Collection.Id}/items?{string.Join("&", parameters)}";
    }

    public bool HasNext(int returned) => Offset + returned < Matched;
}

/// <summary>
/// Streams a page of items as a GeoJSON FeatureCollection, one row at a time: geometries come
/// from PostGIS as NetTopologySuite objects, are transformed with ProjNet when a crs is asked
/// for, and written with GeoJSON4STJ; properties arrive as JSON text built by PostGIS.
/// </summary>
public sealed class OgcItemsResult(NpgsqlDataSource dataSource, string sql, IReadOnlyList<NpgsqlParameter> parameters, OgcPage page) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var cancellationToken = httpContext.RequestAborted;
        await using var command = dataSource.CreateCommand(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var response = httpContext.Response;
        response.ContentType = GeoJsonFeaturesResult.MediaType;
        response.Headers["Content-Crs"] = $"<{page.Crs.Uri}>";
        // Written into the response's pipe (no synchronous I/O); the pipe goes out every 64 KB.
        await using var json = new Utf8JsonWriter(response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        json.WriteStartArray("features");
        var returned = 0;
        var sent = 0L;
        while (await reader.ReadAsync(cancellationToken))
        {
            json.WriteStartObject();
            json.WriteString("type", "Feature");
            json.WriteNumber("id", reader.GetInt64(0));
            json.WritePropertyName("geometry");
            JsonSerializer.Serialize(json, CrsRegistry.FromCrs84(reader.GetFieldValue<Geometry>(1), page.Crs), GeoJson.ApiOptions);
            json.WritePropertyName("properties");
            json.WriteRawValue(reader.GetString(2), skipInputValidation: true);
            json.WriteEndObject();
            returned++;
            if (json.BytesPending + json.BytesCommitted - sent > 64 * 1024)
            {
                json.Flush();
                sent = json.BytesCommitted;
                await response.BodyWriter.FlushAsync(cancellationToken);
            }
        }
        json.WriteEndArray();
        json.WriteNumber("numberMatched", page.Matched);
        json.WriteNumber("numberReturned", returned);
        json.WriteString("timeStamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteStartArray("links");
        WriteLink(json, page.Url(page.Offset, "json"), "self", GeoJsonFeaturesResult.MediaType, "This page");
        WriteLink(json, page.Url(page.Offset, "html"), "alternate", "text/html", "This page as HTML");
        if (page.HasNext(returned))
        {
            WriteLink(json, page.Url(page.Offset + page.Limit, "json"), "next", GeoJsonFeaturesResult.MediaType, "Next page");
        }
        if (page.Offset > 0)
        {
            WriteLink(json, page.Url(Math.Max(0, page.Offset - page.Limit), "json"), "prev", GeoJsonFeaturesResult.MediaType, "Previous page");
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    private static void WriteLink(Utf8JsonWriter json, string href, string rel, string type, string title)
    {
        json.WriteStartObject();
        json.WriteString("href", href);
        json.WriteString("rel", rel);
        json.WriteString("type", type);
        json.WriteString("title", title);
        json.WriteEndObject();
    }
}

/// <summary>A page of items as a simple HTML table (text from the data is encoded).</summary>
public sealed class OgcItemsHtmlResult(NpgsqlDataSource dataSource, string sql, IReadOnlyList<NpgsqlParameter> parameters, OgcPage page) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        await using var command = dataSource.CreateCommand(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(httpContext.RequestAborted);
        var rows = new StringBuilder();
        var returned = 0;
        while (await reader.ReadAsync(httpContext.RequestAborted))
        {
            var id = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
            rows.Append("<tr><td><a href=\"items/").Append(id).Append("?f=html\">").Append(id).Append("</a></td><td>");
            AppendProperties(rows, reader.GetString(2));
            rows.Append("</td></tr>");
            returned++;
        }
        var result = OgcApi.Html(page.Root, $"{page.Collection.Title}: items {page.Offset + 1}–{page.Offset + returned} of {page.Matched}", html =>
        {
            html.Append("<p><a href=\"").Append(OgcApi.Encode(page.Url(page.Offset, "json"))).Append("\">GeoJSON</a>");
            if (page.HasNext(returned))
            {
                html.Append(" · <a href=\"").Append(OgcApi.Encode(page.Url(page.Offset + page.Limit, "html"))).Append("\">Next page</a>");
            }
            html.Append("</p><table><tr><th>id</th><th>properties</th></tr>").Append(rows).Append("</table>");
        });
        await result.ExecuteAsync(httpContext);
    }

    /// <summary>A properties object as an HTML definition list, every name and value encoded.</summary>
    public static void AppendProperties(StringBuilder html, string propertiesJson)
    {
        ArgumentNullException.ThrowIfNull(html);
        using var document = JsonDocument.Parse(propertiesJson);
        html.Append("<dl>");
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            html.Append("<dt>").Append(OgcApi.Encode(property.Name)).Append("</dt><dd>").Append(OgcApi.Encode(value)).Append("</dd>");
        }
        html.Append("</dl>");
    }
}
