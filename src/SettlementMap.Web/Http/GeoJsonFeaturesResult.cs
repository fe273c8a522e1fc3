using System.Buffers;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Npgsql;

namespace SettlementMap.Web.Http;

/// <summary>
/// Streams a FeatureCollection whose features PostGIS has already rendered as JSON text, one row
/// each: nothing is materialised as entities or held whole in memory.
/// </summary>
/// <param name="dataSource">The database.</param>
/// <param name="sql">A query whose first column is one Feature as JSON text per row.</param>
/// <param name="parameters">Its parameters.</param>
/// <param name="foreignMembers">JSON members written before "features" (e.g. an export's "metadata"), or null.</param>
public sealed class GeoJsonFeaturesResult(NpgsqlDataSource dataSource, string sql, IReadOnlyList<NpgsqlParameter> parameters, string? foreignMembers = null)
    : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string MediaType = "application/geo+json";
    private static readonly byte[] Header = """{"type":"FeatureCollection","""u8.ToArray();
    private static readonly byte[] FeaturesStart = "\"features\":["u8.ToArray();
    private static readonly byte[] Footer = "]}"u8.ToArray();
    private const int FlushBytes = 64 * 1024;
    private const int FeatureChunkBytes = 8 * 1024;

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => MediaType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var cancellationToken = httpContext.RequestAborted;
        await using var command = dataSource.CreateCommand(sql, parameters);
        // Run the query before the status line goes out, so a database error is still a clean 500 problem.
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MediaType;
        var writer = response.BodyWriter;
        writer.Write(Header);
        if (foreignMembers is not null)
        {
            Encoding.UTF8.GetBytes(foreignMembers + ",", writer);
        }
        writer.Write(FeaturesStart);
        var first = true;
        var pending = 0L;
        try
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!first)
                {
                    writer.Write(","u8);
                }
                first = false;
                // The feature's UTF-8 bytes go from Npgsql's buffer to the response as they are: no string.
                await using (var feature = await reader.GetStreamAsync(0, cancellationToken))
                {
                    int read;
                    while ((read = await feature.ReadAsync(writer.GetMemory(FeatureChunkBytes), cancellationToken)) > 0)
                    {
                        writer.Advance(read);
                        pending += read;
                    }
                }
                if (pending >= FlushBytes)
                {
                    await writer.FlushAsync(cancellationToken);
                    pending = 0;
                }
            }
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            // The 200 is already sent: cut the connection so the client sees a broken download, not a short valid file.
            httpContext.RequestServices.GetRequiredService<ILogger<GeoJsonFeaturesResult>>()
                .LogError(exception, "Layer stream failed after the response started");
            httpContext.Abort();
            return;
        }
        writer.Write(Footer);
        await writer.FlushAsync(cancellationToken);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(GeoJsonFeatureCollectionSchema), [MediaType]));
    }

    /// <summary>Shape documented in OpenAPI for streamed layers (RFC 7946 FeatureCollection).</summary>
    public sealed record GeoJsonFeatureCollectionSchema(string Type, IReadOnlyList<object> Features);
}
