using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Export;
using SettlementMap.Web.Features.History;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Coverage;

/// <summary>One municipality of a gap table; <see cref="EstimatedInhabitants"/> null where the viewer sees none of its settlements' estimates.</summary>
public sealed record CoverageGapRow(
    string Code, string NameLatn, string NameCyrl, string DistrictNameLatn, string DistrictNameCyrl, string DistrictNameEn,
    int Settlements, long? EstimatedInhabitants, IReadOnlyList<string> Missing);

/// <param name="AsOf">The day.</param>
/// <param name="Kind">The kind asked for (a kind key, or "gap").</param>
/// <param name="Kinds">The kinds whose absence puts a municipality in the table (one, or the gap's).</param>
/// <param name="BaseMunicipalities">The base every coverage count is on: municipalities with at least one settlement.</param>
/// <param name="ShowsInhabitants">Whether the rows carry estimated_inhabitants (the viewer may see them somewhere).</param>
/// <param name="Municipalities">The municipalities of the base lacking it, the most inhabitants first.</param>
public sealed record CoverageGapTable(
    DateOnly AsOf, string Kind, IReadOnlyList<string> Kinds, int BaseMunicipalities, bool ShowsInhabitants, IReadOnlyList<CoverageGapRow> Municipalities)
{
    /// <summary>
    /// The rows as the JSON answer writes them: estimated_inhabitants is left out (absent, not null) for a viewer who
    /// may see estimated inhabitants nowhere, and null where they see none of the municipality's.
    /// </summary>
    public IReadOnlyList<Dictionary<string, object?>> Rows() => [.. Municipalities.Select(r =>
    {
        var row = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["code"] = r.Code, ["name_latn"] = r.NameLatn, ["name_cyrl"] = r.NameCyrl, ["district_name_latn"] = r.DistrictNameLatn,
            ["district_name_cyrl"] = r.DistrictNameCyrl, ["district_name_en"] = r.DistrictNameEn, ["settlements"] = r.Settlements,
        };
        if (ShowsInhabitants)
        {
            row[SettlementSchema.EstimatedInhabitants] = r.EstimatedInhabitants;
        }
        row["missing"] = r.Missing;
        return row;
    })];
}

/// <summary>The JSON answer: <see cref="CoverageGapTable"/> with its rows as <see cref="CoverageGapTable.Rows"/>.</summary>
public sealed record CoverageGapAnswer(
    DateOnly AsOf, string Kind, IReadOnlyList<string> Kinds, int BaseMunicipalities, IReadOnlyList<Dictionary<string, object?>> Municipalities);

/// <summary>
/// "Which municipalities with settlements have no health mediator?": per kind (or the gap) the municipalities of
/// the base lacking it, as JSON for the map's table or as CSV in a chosen language, through the viewer's disclosure.
/// </summary>
public static class CoverageGaps
{
    private static readonly string[] Parameters = ["kind", "as_of", "format", "lang"];
    private static readonly string[] Formats = ["json", "csv"];

    public static async Task<Results<Ok<CoverageGapAnswer>, FileContentHttpResult, ValidationProblem>> GetCoverageGaps(
        HttpRequest request, ReadRoute route, SettlementMapDbContext db, TimeProvider clock, ProjectPaths paths,
        [FromQuery] string? kind, [FromQuery(Name = "as_of")] string? asOf, [FromQuery] string? format, [FromQuery] string? lang,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, Parameters);
        var named = query.Date("as_of", asOf);
        var day = named ?? CoverageQueries.Today(clock);
        var chosenFormat = query.OneOf("format", format, Formats) ?? "json";
        var language = query.OneOf("lang", lang, Label.Languages) ?? "en";
        var kinds = await CoverageQueries.KindsAsync(db, cancellationToken);
        // Required: a missing kind is refused like an unknown one, with the list of known ones.
        var chosenKind = query.OneOf("kind", kind ?? "", [.. kinds.Select(k => k.Key), CoverageSql.GapKey]);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The coverage table request has invalid parameters.");
        }
        var shown = await DisclosurePolicies.OfAsync(request.HttpContext);
        IReadOnlyList<string> lacking = chosenKind == CoverageSql.GapKey ? CoverageSql.GapKinds : [chosenKind!];
        var table = await ReadAsync(route.DataSource, day, CoverageSql.SettlementsOf(named), chosenKind!, lacking, shown, cancellationToken);
        if (chosenFormat == "json")
        {
            return TypedResults.Ok(new CoverageGapAnswer(table.AsOf, table.Kind, table.Kinds, table.BaseMunicipalities, table.Rows()));
        }
        var csv = Csv(table, PageLabels.For(paths), kinds, language);
        return TypedResults.File(csv, "text/csv; charset=utf-8",
            $"coverage-without-{chosenKind!.Replace(':', '-')}-{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv");
    }

    private static async Task<CoverageGapTable> ReadAsync(
        NpgsqlDataSource dataSource, DateOnly day, SettlementTime? settlements, string kind, IReadOnlyList<string> lacking, Disclosure shown,
        CancellationToken cancellationToken)
    {
        var showsInhabitants = shown.Shows(SettlementSchema.Find(SettlementSchema.EstimatedInhabitants)!);
        var (sql, parameters) = CoverageSql.Gaps(day, lacking, shown, settlements);
        var rows = new List<CoverageGapRow>();
        int? baseSize = null;
        await using (var command = dataSource.CreateCommand(sql, parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new CoverageGapRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetInt32(6), showsInhabitants && !reader.IsDBNull(7) ? reader.GetInt64(7) : null,
                    reader.GetFieldValue<string[]>(8)));
                baseSize = reader.GetInt32(9);
            }
        }
        if (baseSize is null)
        {
            var (baseSql, baseParameters) = CoverageSql.BaseSize(settlements);
            await using var count = dataSource.CreateCommand(baseSql, baseParameters);
            baseSize = (int)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        return new CoverageGapTable(day, kind, lacking, baseSize.Value, showsInhabitants, rows);
    }

    /// <summary>
    /// The table as CSV (<see cref="MunicipalityTableCsv"/>): the words the map's table shows in <paramref name="language"/>,
    /// the kinds missing by their names.
    /// </summary>
    public static byte[] Csv(CoverageGapTable table, PageLabels labels, IReadOnlyList<CoverageKindInfo> kinds, string language)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(kinds);
        var csv = new MunicipalityTableCsv(labels, language);
        string KindName(string key) => kinds.FirstOrDefault(k => k.Key == key) is { ProgrammeCode: not null, NameSrLatn: { } latin, NameEn: { } english } programme
            ? new Label(latin, programme.NameSrCyrl ?? latin, english).In(language)
            : csv.Labelled("coverage.kind." + key);
        var headers = new List<string> { csv.Labelled("coverage.settlements") };
        if (table.ShowsInhabitants)
        {
            headers.Add(csv.Labelled("coverage.table.population"));
        }
        headers.Add(csv.Labelled("coverage.table.missing"));
        return csv.Write(headers, table.Municipalities,
            row => new MunicipalityNames(row.Code, row.NameLatn, row.NameCyrl, row.DistrictNameLatn, row.DistrictNameCyrl, row.DistrictNameEn),
            (writer, row) =>
            {
                writer.WriteField(row.Settlements.ToString(CultureInfo.InvariantCulture));
                if (table.ShowsInhabitants)
                {
                    writer.WriteField(row.EstimatedInhabitants?.ToString(CultureInfo.InvariantCulture) ?? "");
                }
                writer.WriteField(SpreadsheetText.Cell(string.Join("; ", row.Missing.Select(KindName))));
            });
    }
}
