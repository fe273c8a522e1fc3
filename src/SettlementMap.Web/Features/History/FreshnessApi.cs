using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Export;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Geo;
using SettlementMap.Web.Http;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.History;

/// <summary>One municipality's freshness (<see cref="FreshnessSql.Table"/>); dates are UTC days, null where the viewer sees none.</summary>
public sealed record FreshnessRow(
    string Code, string NameLatn, string NameCyrl, string DistrictCode, string DistrictNameLatn, string DistrictNameCyrl, string DistrictNameEn,
    int Settlements, string? LastUpdated, string? LastUpdatedRole, string? LastUpdatedBy, int StaleCount, int UndatedCount, string? OldestUpdated);

/// <summary>A settlement not updated within the threshold (the coordinator's list); <see cref="LastUpdatedBy"/> for administrators only.</summary>
public sealed record StaleSettlement(
    long Id, string Code, string NameLatn, string NameCyrl, string MunicipalityCode, string MunicipalityNameLatn, string MunicipalityNameCyrl,
    string? LastUpdated, string? LastUpdatedRole, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? LastUpdatedBy);

/// <param name="ThresholdDays">The threshold asked for.</param>
/// <param name="StaleBefore">Its instant: settlements last updated before it are stale.</param>
/// <param name="Total">Stale settlements in the viewer's municipalities (all of them, for an administrator).</param>
/// <param name="Truncated">More are stale than the list holds (the oldest come first).</param>
/// <param name="Settlements">The stale settlements, the oldest first, at most <see cref="FreshnessApi.StaleLimit"/>.</param>
public sealed record StaleSettlements(int ThresholdDays, DateTimeOffset StaleBefore, int Total, bool Truncated, IReadOnlyList<StaleSettlement> Settlements);

/// <summary>
/// Data freshness (issue 23, item 5): per municipality with settlements, when its settlements were last updated
/// (<see cref="FreshnessSql"/> says what that means), by which role, how many are older than a threshold and the
/// oldest date; as GeoJSON with the municipalities' outlines for the map's overlay, or CSV. And a signed-in
/// coordinator's own stale settlements.
/// </summary>
public static class FreshnessApi
{
    /// <summary>The threshold's default (two years) and bounds, in days.</summary>
    public const int DefaultThresholdDays = 730;
    public const int MinThresholdDays = 1;
    public const int MaxThresholdDays = 36500;

    /// <summary>Rows the stale list gives at most (the oldest first).</summary>
    public const int StaleLimit = 2000;

    private const int DefaultZoom = 9;
    private static readonly string[] Parameters = ["threshold_days", "format", "lang", "zoom"];
    private static readonly string[] StaleParameters = ["threshold_days"];
    private static readonly string[] Formats = ["geojson", "csv"];

    public static IEndpointRouteBuilder MapFreshnessApi(this IEndpointRouteBuilder app)
    {
        var history = app.MapGroup("/api/history").WithTags("History");
        history.MapGet("/freshness", GetFreshness).WithName(nameof(GetFreshness))
            .WithSummary("Per municipality with settlements: when they were last updated and by which role, how many are older than threshold_days " +
                "(default 730) and the oldest date; GeoJSON with the outlines, or CSV (lang names the headers' language)");
        history.MapGet("/freshness/stale", GetStaleSettlements).WithName(nameof(GetStaleSettlements))
            .RequireAuthorization(Authentication.EditorPolicy)
            .WithSummary("Signed in: the settlements of your municipalities (all, for administrators) not updated for more than threshold_days, the oldest first");
        return app;
    }

    private static int? Threshold(QueryParameters query, string? text) =>
        text is null ? DefaultThresholdDays : query.WholeNumber("threshold_days", text, MinThresholdDays, MaxThresholdDays);

    public static async Task<Results<GeoJsonFeaturesResult, FileContentHttpResult, ValidationProblem>> GetFreshness(
        HttpRequest request, ReadRoute route, TimeProvider clock, ProjectPaths paths,
        [FromQuery(Name = "threshold_days")] string? thresholdDays, [FromQuery] string? format, [FromQuery] string? lang, [FromQuery] string? zoom,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, Parameters);
        var days = Threshold(query, thresholdDays);
        var chosenFormat = query.OneOf("format", format, Formats) ?? "geojson";
        var language = query.OneOf("lang", lang, Label.Languages) ?? "en";
        var z = zoom is null ? DefaultZoom : query.WholeNumber("zoom", zoom, 0, Simplification.MaxZoom);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The freshness request has invalid parameters.");
        }
        var shown = await DisclosurePolicies.OfAsync(request.HttpContext);
        var staleBefore = FreshnessSql.StaleBefore(clock.GetUtcNow(), days!.Value);
        // The answer depends on the clock and on every account's role: not cached.
        request.HttpContext.Response.Headers.CacheControl = "private, no-store";
        if (chosenFormat == "geojson")
        {
            var (sql, parameters) = FreshnessSql.Layer(staleBefore, z!.Value, shown);
            var members = FormattableString.Invariant($"\"threshold_days\":{days.Value},\"stale_before\":\"{staleBefore:yyyy-MM-dd'T'HH:mm:ss'Z'}\"");
            return new GeoJsonFeaturesResult(route.DataSource, sql, parameters, members);
        }
        var rows = await ReadAsync(route.DataSource, staleBefore, shown, cancellationToken);
        var csv = Csv(rows, FreshnessSql.ShowsNames(shown), days.Value, PageLabels.For(paths), language);
        return TypedResults.File(csv, "text/csv; charset=utf-8",
            FormattableString.Invariant($"freshness-{days.Value}-days-{clock.GetUtcNow().UtcDateTime:yyyy-MM-dd}.csv"));
    }

    public static async Task<Results<Ok<StaleSettlements>, ValidationProblem>> GetStaleSettlements(
        HttpRequest request, ReadRoute route, TimeProvider clock, [FromQuery(Name = "threshold_days")] string? thresholdDays,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, StaleParameters);
        var days = Threshold(query, thresholdDays);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The stale settlements request has invalid parameters.");
        }
        var shown = await DisclosurePolicies.OfAsync(request.HttpContext);
        var viewer = shown.Viewer;
        // A coordinator's own municipalities; an administrator's are all.
        int[]? own = viewer.Level == Clearance.Administrators ? null : [.. viewer.OwnMunicipalities.Order()];
        var staleBefore = FreshnessSql.StaleBefore(clock.GetUtcNow(), days!.Value);
        var (sql, parameters) = FreshnessSql.Stale(staleBefore, shown, own, StaleLimit);
        var list = new List<StaleSettlement>();
        var total = 0;
        await using (var command = route.DataSource.CreateCommand(sql, parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new StaleSettlement(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetString(6), Text(reader, 7), Text(reader, 8), Text(reader, 9)));
                total = reader.GetInt32(10);
            }
        }
        return TypedResults.Ok(new StaleSettlements(days.Value, staleBefore, total, total > list.Count, list));
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static async Task<List<FreshnessRow>> ReadAsync(NpgsqlDataSource dataSource, DateTimeOffset staleBefore, Disclosure shown, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var names = FreshnessSql.ShowsNames(shown);
        var (sql, parameters) = FreshnessSql.Table(staleBefore, shown);
        var rows = new List<FreshnessRow>();
        await using var command = dataSource.CreateCommand(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // Columns as FreshnessSql's properties: last_updated_by only with names.
            var at = names ? 11 : 10;
            rows.Add(new FreshnessRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetInt32(7), Text(reader, 8), Text(reader, 9), names ? Text(reader, 10) : null,
                reader.GetInt32(at), reader.GetInt32(at + 1), Text(reader, at + 2)));
        }
        return rows;
    }

    /// <summary>
    /// The table as CSV (<see cref="MunicipalityTableCsv"/>): roles in the words of <paramref name="language"/>, the account
    /// column for administrators only (<paramref name="names"/>).
    /// </summary>
    public static byte[] Csv(IReadOnlyList<FreshnessRow> rows, bool names, int thresholdDays, PageLabels labels, string language)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new MunicipalityTableCsv(labels, language);
        var headers = new List<string> { csv.Labelled("coverage.settlements"), csv.Labelled("freshness.table.last_updated"), csv.Labelled("freshness.table.role") };
        if (names)
        {
            headers.Add(csv.Labelled("freshness.table.by"));
        }
        headers.Add(csv.Labelled("freshness.table.stale").Replace("{days}", thresholdDays.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        headers.Add(csv.Labelled("freshness.table.undated"));
        headers.Add(csv.Labelled("freshness.table.oldest"));
        return csv.Write(headers, rows,
            row => new MunicipalityNames(row.Code, row.NameLatn, row.NameCyrl, row.DistrictNameLatn, row.DistrictNameCyrl, row.DistrictNameEn),
            (writer, row) =>
            {
                writer.WriteField(row.Settlements.ToString(CultureInfo.InvariantCulture));
                writer.WriteField(row.LastUpdated ?? "");
                writer.WriteField(row.LastUpdatedRole is { } role ? SpreadsheetText.Cell(csv.Labelled("freshness.role." + role)) : "");
                if (names)
                {
                    writer.WriteField(SpreadsheetText.Cell(row.LastUpdatedBy ?? ""));
                }
                writer.WriteField(row.StaleCount.ToString(CultureInfo.InvariantCulture));
                writer.WriteField(row.UndatedCount.ToString(CultureInfo.InvariantCulture));
                writer.WriteField(row.OldestUpdated ?? "");
            });
    }
}
