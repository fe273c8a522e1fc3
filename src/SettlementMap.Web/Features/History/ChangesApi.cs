using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Export;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.History;

/// <summary>A comparable attribute as the page reads it: which way is better and, for a closed list, its ranks (worst first).</summary>
public sealed record Comparison(string Name, ChangeDirection Direction, IReadOnlyList<IReadOnlyList<string>> Ranks);

/// <summary>
/// What changed between two dates: every settlement that existed at A or at B, classed improved, worsened, changed,
/// unchanged, new or gone by one attribute (its <see cref="ChangeOrder"/> in SettlementSchema), as GeoJSON for the
/// map or as CSV, through the viewer's disclosure.
/// </summary>
public static class ChangesApi
{
    private static readonly string[] Parameters = ["attribute", "from", "to", "bbox", "municipality", "district", "format", "lang"];
    private static readonly string[] Formats = ["geojson", "csv"];

    public static IEndpointRouteBuilder MapChangesApi(this IEndpointRouteBuilder app)
    {
        var history = app.MapGroup("/api/history").WithTags("History");
        history.MapGet("/changes", GetChanges)
            .WithName(nameof(GetChanges))
            .CacheLayerResponse(LayerETags.LayerETagAsync)
            .RequireRateLimiting(MapQueryLimiter.PolicyName)
            .WithSummary("Each settlement that existed at from or at to, classed by how one attribute changed (improved, worsened, changed, unchanged, new, gone), with its value at both; GeoJSON or CSV")
            .WithDescription("from and to are dates (the state at the end of that UTC day) or RFC 3339 date-times, from not after to. " +
                "attribute is one of /api/history/changes/attributes. The geometry is the settlement's at to, or at from when it is gone. " +
                "bbox, municipality and district select by that place; format=csv with lang=en|sr-Latn|sr-Cyrl labels the columns and values.");
        history.MapGet("/changes/attributes", GetChangeAttributes)
            .WithName(nameof(GetChangeAttributes))
            .WithSummary("The attributes this viewer can compare between two dates, with which way is better");
        return app;
    }

    public static async Task<Ok<List<Comparison>>> GetChangeAttributes(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shown = await DisclosurePolicies.OfAsync(request.HttpContext);
        request.HttpContext.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.Ok(ChangeSql.Comparable(shown).Select(a => new Comparison(a.Name, a.Change!.Direction, a.Change.Ranks)).ToList());
    }

    public static async Task<Results<GeoJsonFeaturesResult, FileContentHttpResult, ValidationProblem, StatusCodeHttpResult>> GetChanges(
        HttpRequest request,
        ReadRoute route,
        SettlementMapDbContext db,
        ProjectPaths paths,
        [FromQuery] string? attribute,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? bbox,
        [FromQuery] string? municipality,
        [FromQuery] string? district,
        [FromQuery] string? format,
        [FromQuery] string? lang,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shown = await DisclosurePolicies.OfAsync(request.HttpContext);
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, Parameters);
        // An attribute the viewer may not see is unknown to them, as a filter on it is.
        var comparable = ChangeSql.Comparable(shown).ToList();
        var chosen = comparable.FirstOrDefault(a => a.Name == attribute);
        if (chosen is null)
        {
            query.AddError("attribute", attribute is null
                ? $"Give the attribute to compare, one of {string.Join(", ", comparable.Select(a => a.Name))}."
                : $"attribute must be one of {string.Join(", ", comparable.Select(a => a.Name))}.");
        }
        var fromAt = Instant(query, "from", from);
        var toAt = Instant(query, "to", to);
        if (fromAt > toAt)
        {
            query.AddError("from", "from is after to: give the earlier date first.");
        }
        var chosenFormat = query.OneOf("format", format, Formats) ?? "geojson";
        var language = query.OneOf("lang", lang, Label.Languages);
        if (language is not null && chosenFormat != "csv")
        {
            query.AddError("lang", "lang labels the CSV (format=csv); GeoJSON carries codes.");
        }
        var filter = new SettlementFilter(query.Bbox("bbox", bbox), query.Code("municipality", municipality), query.Code("district", district),
            null, null, null, null, null, null, null, null, null, null, shown);
        await PlaceCodes.CheckExistAsync(query, db, filter.Municipality, filter.District, cancellationToken);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The change request has invalid parameters.");
        }
        if (chosenFormat == "geojson")
        {
            // Cached like the layers. Not the CSV: ResponseCache keeps a body and its type, not the file name it goes by.
            if (LayerETags.IsNotModified(request.HttpContext, await LayerETags.LayerETagAsync(request, cancellationToken)))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }
            var (sql, parameters) = ChangeSql.Features(chosen!, fromAt!.Value, toAt!.Value, filter);
            var members = $"\"attribute\":\"{chosen!.Name}\",\"from\":\"{Iso(fromAt.Value)}\",\"to\":\"{Iso(toAt.Value)}\"";
            return new GeoJsonFeaturesResult(route.DataSource, sql, parameters, members);
        }
        var csv = await CsvAsync(route.DataSource, chosen!, fromAt!.Value, toAt!.Value, from!, to!, filter, PageLabels.For(paths), language ?? "en", cancellationToken);
        return TypedResults.File(csv, "text/csv; charset=utf-8", $"change-{chosen!.Name}-{FileDate(from!)}-{FileDate(to!)}.csv");
    }

    private static DateTimeOffset? Instant(QueryParameters query, string name, string? text)
    {
        if (text is null)
        {
            query.AddError(name, $"Give {name}: a date (2019-01-01, the state at the end of that day, UTC) or an RFC 3339 date-time.");
            return null;
        }
        return SettlementTime.ReadInstant(query, name, text);
    }

    private static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    // A valid from/to as part of a file name: its date (and time, without the characters file systems dislike).
    private static string FileDate(string text) => new([.. text.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Take(24)]);

    /// <summary>
    /// The change as CSV: headers and values labelled in <paramref name="language"/> (the page's own words for the
    /// columns and classes, SettlementSchema's for the values), each value column naming its date, the settlement's
    /// code last for joining; text cells made safe for spreadsheets (<see cref="SpreadsheetText"/>). UTF-8 with a BOM.
    /// </summary>
    public static async Task<byte[]> CsvAsync(
        NpgsqlDataSource dataSource, AttributeDefinition attribute, DateTimeOffset from, DateTimeOffset to, string fromText, string toText,
        SettlementFilter filter, PageLabels labels, string language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(labels);
        string Labelled(string key) => labels.Find(key)?.In(language) ?? key;
        string Value(string? value) => value is null ? "" : attribute.List?.Values.FirstOrDefault(v => v.Value == value)?.Label.In(language) ?? value;
        using var stream = new MemoryStream();
        await using (var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        await using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture)))
        {
            var unit = attribute.Unit is { } u ? $" ({(language == "sr-Cyrl" ? SerbianScript.ToCyrillic(u) : u)})" : "";
            string[] headers =
            [
                Labelled("change.table.settlement"), Labelled("change.table.municipality"),
                $"{attribute.Label.In(language)}{unit}: {fromText}", $"{attribute.Label.In(language)}{unit}: {toText}",
                Labelled("change.table.class"), Labelled("change.table.code"),
            ];
            foreach (var header in headers)
            {
                csv.WriteField(SpreadsheetText.Cell(header));
            }
            await csv.NextRecordAsync();
            var (sql, parameters) = ChangeSql.Rows(attribute, from, to, filter);
            await using var command = dataSource.CreateCommand(sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            while (await reader.ReadAsync(cancellationToken))
            {
                csv.WriteField(SpreadsheetText.Cell(new Label(reader.GetString(2), reader.GetString(3), reader.GetString(2)).In(language)));
                csv.WriteField(SpreadsheetText.Cell(new Label(reader.GetString(4), reader.GetString(5), reader.GetString(4)).In(language)));
                csv.WriteField(SpreadsheetText.Cell(Value(Text(6))));
                csv.WriteField(SpreadsheetText.Cell(Value(Text(7))));
                csv.WriteField(SpreadsheetText.Cell(Labelled("change.class." + reader.GetString(8))));
                csv.WriteField(SpreadsheetText.Cell(reader.GetString(1)));
                await csv.NextRecordAsync();
            }
        }
        return stream.ToArray();
    }
}
