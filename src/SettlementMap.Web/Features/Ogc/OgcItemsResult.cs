using System.Globalization;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Npgsql;
using SettlementMap.Web.Geo.Crs;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Ogc;

/// <summary>
/// What a page of items is: its collection, output CRS, position (a cursor, an offset or both) and the links around
/// it. Parameters are the request's but offset, cursor and f, each once: a next link must not repeat one (GDAL adds
/// its own copy of the others). CountMatched counts the matches (numberMatched), given on the first page only.
/// </summary>
public sealed record OgcPage(OgcCollectionInfo Collection, SupportedCrs Crs, int Limit, int Offset, OgcCursor? After, string Root,
    IReadOnlyList<(string Name, string Value)> Parameters, Func<NpgsqlConnection, CancellationToken, Task<long>>? CountMatched)
{
    /// <summary>In CRS84 the database writes the geometries' GeoJSON (<see cref="OgcSql.Page"/>); ProjNet transforms to any other.</summary>
    public bool GeoJsonFromDatabase => Crs == CrsRegistry.Crs84;

    /// <summary>This page's link.</summary>
    public string Self(string format) => Url(After is null ? [("offset", Offset)] : Offset > 0 ? [("cursor", After), ("offset", Offset)] : [("cursor", After)], format);

    /// <summary>The page after the one that ended with <paramref name="last"/>.</summary>
    public string Next(OgcCursor last, string format) => Url([("cursor", last)], format);

    /// <summary>The page before, for a client paging by offset alone (a cursor only goes forward).</summary>
    public string? Previous(string format) => After is null && Offset > 0 ? Url([("offset", Math.Max(0, Offset - Limit))], format) : null;

    private string Url(IEnumerable<(string Name, object Value)> position, string format)
    {
        var parameters = Parameters
            .Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value))
            .Concat(position.Select(p => p.Name + "=" + Uri.EscapeDataString(Convert.ToString(p.Value, CultureInfo.InvariantCulture)!)))
            .Append("f=" + format);
        return $"{Root}/ogc/collections/{Collection.Id}/items?{string.Join("&", parameters)}";
    }

    /// <summary>
    /// numberMatched: on the first page only (no cursor, no offset), where a page that holds every match needs no
    /// count; null elsewhere, which Part 1 allows (a full count on every page would cost more than the page).
    /// </summary>
    /// <remarks>On the page's own connection, once its reader is closed: one connection a request, never two held at once.</remarks>
    public async Task<long?> MatchedAsync(NpgsqlConnection connection, int returned, bool more, CancellationToken cancellationToken) =>
        CountMatched is null || After is not null || Offset > 0 ? null : more ? await CountMatched(connection, cancellationToken) : returned;
}

/// <summary>
/// Reads a page's rows (<see cref="OgcSql.Page"/>): at most the limit, whether one more follows, and the last one's key;
/// then its numberMatched. Page and count run on one connection it opens, the count once the rows' reader is closed:
/// with a pooled data-source command per statement, the page's command outlived its connection, which the pool had
/// meanwhile given to another request's count, and under load both failed mid-response (a hang for the client).
/// </summary>
internal sealed class OgcPageReader : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _command;
    private readonly OgcPage _page;

    private OgcPageReader(NpgsqlConnection connection, NpgsqlCommand command, NpgsqlDataReader row, OgcPage page)
    {
        _connection = connection;
        _command = command;
        Row = row;
        _page = page;
    }

    public static async Task<OgcPageReader> OpenAsync(NpgsqlDataSource dataSource, string sql, IReadOnlyList<NpgsqlParameter> parameters, OgcPage page,
        CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var command = connection.CreateCommand(sql, parameters);
        try
        {
            return new OgcPageReader(connection, command, await command.ExecuteReaderAsync(cancellationToken), page);
        }
        catch
        {
            await command.DisposeAsync();
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The current row: id, geometry, properties, then the key.</summary>
    public NpgsqlDataReader Row { get; }

    public int Returned { get; private set; }

    public bool More { get; private set; }

    public OgcCursor? Last { get; private set; }

    public async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await Row.ReadAsync(cancellationToken))
        {
            return false;
        }
        if (Returned == _page.Limit)
        {
            More = true;
            return false;
        }
        Returned++;
        Last = new OgcCursor([.. Enumerable.Range(3, _page.Collection.Key.Count).Select(Row.GetInt64)]);
        return true;
    }

    /// <summary>numberMatched (<see cref="OgcPage.MatchedAsync"/>), once the rows are read: their reader is closed first.</summary>
    public async Task<long?> MatchedAsync(CancellationToken cancellationToken)
    {
        await Row.DisposeAsync();
        await _command.DisposeAsync();
        return await _page.MatchedAsync(_connection, Returned, More, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Row.DisposeAsync();
        await _command.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>
/// Streams a page of items as a GeoJSON FeatureCollection, one row at a time: in CRS84 geometries arrive as GeoJSON
/// text built by PostGIS, as the layers' do; for another crs as NetTopologySuite objects, transformed with ProjNet
/// and written with GeoJSON4STJ. Properties arrive as JSON text built by PostGIS.
/// </summary>
public sealed class OgcItemsResult(NpgsqlDataSource dataSource, string sql, IReadOnlyList<NpgsqlParameter> parameters, OgcPage page) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var cancellationToken = httpContext.RequestAborted;
        await using var rows = await OgcPageReader.OpenAsync(dataSource, sql, parameters, page, cancellationToken);
        var reader = rows.Row;
        var response = httpContext.Response;
        response.ContentType = GeoJsonFeaturesResult.MediaType;
        response.Headers["Content-Crs"] = $"<{page.Crs.Uri}>";
        // Written into the response's pipe (no synchronous I/O); the pipe goes out every 64 KB.
        await using var json = new Utf8JsonWriter(response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        json.WriteStartArray("features");
        var sent = 0L;
        while (await rows.ReadAsync(cancellationToken))
        {
            json.WriteStartObject();
            json.WriteString("type", "Feature");
            json.WriteNumber("id", reader.GetInt64(0));
            json.WritePropertyName("geometry");
            if (page.GeoJsonFromDatabase)
            {
                json.WriteRawValue(reader.GetString(1), skipInputValidation: true); // PostGIS's GeoJSON (OgcSql.Page)
            }
            else
            {
                JsonSerializer.Serialize(json, CrsRegistry.FromCrs84(reader.GetFieldValue<Geometry>(1), page.Crs), GeoJson.ApiOptions);
            }
            json.WritePropertyName("properties");
            json.WriteRawValue(reader.GetString(2), skipInputValidation: true);
            json.WriteEndObject();
            if (json.BytesPending + json.BytesCommitted - sent > 64 * 1024)
            {
                json.Flush();
                sent = json.BytesCommitted;
                await response.BodyWriter.FlushAsync(cancellationToken);
            }
        }
        json.WriteEndArray();
        if (await rows.MatchedAsync(cancellationToken) is { } matched)
        {
            json.WriteNumber("numberMatched", matched);
        }
        json.WriteNumber("numberReturned", rows.Returned);
        json.WriteString("timeStamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteStartArray("links");
        WriteLink(json, page.Self("json"), "self", GeoJsonFeaturesResult.MediaType, "This page");
        WriteLink(json, page.Self("html"), "alternate", "text/html", "This page as HTML");
        if (rows.More)
        {
            WriteLink(json, page.Next(rows.Last!, "json"), "next", GeoJsonFeaturesResult.MediaType, "Next page");
        }
        if (page.Previous("json") is { } previous)
        {
            WriteLink(json, previous, "prev", GeoJsonFeaturesResult.MediaType, "Previous page");
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
        await using var read = await OgcPageReader.OpenAsync(dataSource, sql, parameters, page, httpContext.RequestAborted);
        var reader = read.Row;
        var rows = new StringBuilder();
        while (await read.ReadAsync(httpContext.RequestAborted))
        {
            var id = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
            rows.Append("<tr><td><a href=\"items/").Append(id).Append("?f=html\">").Append(id).Append("</a></td><td>");
            AppendProperties(rows, reader.GetString(2));
            rows.Append("</td></tr>");
        }
        var matched = await read.MatchedAsync(httpContext.RequestAborted);
        var title = page.After is null
            ? $"{page.Collection.Title}: items {page.Offset + 1}–{page.Offset + read.Returned}{(matched is { } m ? $" of {m}" : "")}"
            : $"{page.Collection.Title}: {read.Returned} more items";
        var result = OgcApi.Html(page.Root, title, html =>
        {
            html.Append("<p><a href=\"").Append(OgcApi.Encode(page.Self("json"))).Append("\">GeoJSON</a>");
            if (read.More)
            {
                html.Append(" · <a href=\"").Append(OgcApi.Encode(page.Next(read.Last!, "html"))).Append("\">Next page</a>");
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
