using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Coverage;
using SettlementMap.Web.Features.Export;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.History;

/// <summary>The area of a series: kind country, district or municipality; its code (none for the country) and name.</summary>
public sealed record IndicatorArea(string Kind, string? Code, Label Name);

/// <summary>One indicator at each date (null where it has no value: no settlement, no known value).</summary>
public sealed record IndicatorSeries(string Id, Label Label, string Unit, string? CoverageKind, IReadOnlyList<double?> Values);

public sealed record IndicatorAnswer(IndicatorArea Area, IReadOnlyList<DateOnly> Dates, IReadOnlyList<IndicatorSeries> Indicators);

/// <summary>
/// The Strategy's housing and infrastructure indicators over time, for Serbia, a district or a municipality: at each
/// date the state of the settlements then (history), as the viewer may see it, and the coverage on that day. JSON for
/// the page's chart and the report, CSV (headers in lang) for a spreadsheet.
/// </summary>
public static class IndicatorApi
{
    private static readonly string[] Parameters = ["municipality", "district", "dates", "from", "to", "step", "format", "lang"];
    private static readonly string[] Formats = ["json", "csv"];
    private static readonly string[] Steps = ["year", "quarter", "month"];

    /// <summary>The most dates one request may ask for.</summary>
    public const int MaxDates = 40;

    /// <summary>Where a series starts when no date is given: the first year of the Strategy for Roma inclusion 2016–2025.</summary>
    public static readonly DateOnly DefaultFrom = new(2016, 1, 1);

    private static readonly Label Serbia = new("Srbija", "Србија", "Serbia");

    public static IEndpointRouteBuilder MapIndicatorsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/history/indicators", GetIndicators).WithTags("History").WithName(nameof(GetIndicators))
            .WithSummary("Strategy indicators over time for Serbia, a district or a municipality: settlements, inhabitants, shares with water, sewer network, legal electricity, legalisation, substandard housing, coverage")
            .WithDescription($"Give dates=2016-01-01,2019-01-01 (at most {MaxDates}, each the state at the end of that UTC day) or from=&to=&step=year|quarter|month " +
                "(to defaults to today; without either: every 1 January from 2016, and today). format=csv with lang=sr-Latn|sr-Cyrl|en names the columns.");
        return app;
    }

    public static async Task<Results<Ok<IndicatorAnswer>, FileContentHttpResult, ValidationProblem>> GetIndicators(
        HttpRequest request, ReadRoute route, SettlementMapDbContext db, TimeProvider clock, ProjectPaths paths,
        [FromQuery] string? municipality, [FromQuery] string? district, [FromQuery] string? dates, [FromQuery] string? from, [FromQuery] string? to,
        [FromQuery] string? step, [FromQuery] string? format, [FromQuery] string? lang, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, Parameters);
        var municipalityCode = query.Code("municipality", municipality);
        var districtCode = query.Code("district", district);
        if (municipalityCode is not null && districtCode is not null)
        {
            query.AddError("district", "Give municipality or district, not both (neither: Serbia).");
        }
        var today = CoverageQueries.Today(clock);
        var days = ReadDates(query, dates, from, to, step, today);
        var chosenFormat = query.OneOf("format", format, Formats) ?? "json";
        var language = query.OneOf("lang", lang, Label.Languages) ?? "en";
        await PlaceCodes.CheckExistAsync(query, db, municipalityCode, districtCode, cancellationToken);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The indicators request has invalid parameters.");
        }

        var answer = await ReadAsync(route.DataSource, db, paths, new IndicatorPlace(municipalityCode, districtCode), days!,
            await DisclosurePolicies.OfAsync(request.HttpContext), cancellationToken);
        if (chosenFormat == "json")
        {
            return TypedResults.Ok(answer);
        }
        var labels = PageLabels.For(paths);
        var name = answer.Area.Code ?? "serbia";
        return TypedResults.File(Csv(answer, labels, language), "text/csv; charset=utf-8",
            $"indicators-{name.Replace('.', '-')}-{days![0]:yyyy-MM-dd}-{days[^1]:yyyy-MM-dd}.csv");
    }

    /// <summary>The series of an area at the dates, as the viewer may see them (the report reads them too).</summary>
    public static async Task<IndicatorAnswer> ReadAsync(NpgsqlDataSource dataSource, SettlementMapDbContext db, ProjectPaths paths,
        IndicatorPlace place, IReadOnlyList<DateOnly> days, Disclosure disclosure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(place);
        ArgumentNullException.ThrowIfNull(days);
        var municipalities = db.Municipalities.AsNoTracking();
        if (place.Municipality is { } m)
        {
            municipalities = municipalities.Where(x => x.Code == m);
        }
        else if (place.District is { } d)
        {
            municipalities = municipalities.Where(x => x.District!.Code == d);
        }
        var ids = await municipalities.Select(x => x.Id).ToListAsync(cancellationToken);
        var area = await AreaAsync(db, place, cancellationToken);

        var kinds = await CoverageQueries.KindsAsync(db, cancellationToken);
        var labels = PageLabels.For(paths);
        Label KindName(string key) => kinds.FirstOrDefault(k => k.Key == key) is { ProgrammeCode: not null, NameSrLatn: { } latin, NameEn: { } english } programme
            ? new Label(latin, programme.NameSrCyrl ?? latin, english)
            : labels.Find("coverage.kind." + key) ?? new Label(key, key, key);
        List<IndicatorDefinition> indicators =
        [
            .. IndicatorDefinitions.Settlement.Where(i => IndicatorDefinitions.ShownIn(i, disclosure, ids)),
            .. kinds.SelectMany(k => IndicatorDefinitions.Coverage(k.Key)),
        ];

        var values = indicators.Select(_ => new double?[days.Count]).ToList();
        var (sql, parameters) = IndicatorSql.Series(days, place, indicators, disclosure);
        await using (var command = dataSource.CreateCommand(sql, parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var day = (int)reader.GetInt64(0) - 1;
                for (var i = 0; i < indicators.Count; i++)
                {
                    values[i][day] = reader.IsDBNull(i + 1) ? null : reader.GetDouble(i + 1);
                }
            }
        }
        return new IndicatorAnswer(area, days,
            [.. indicators.Select((indicator, i) => new IndicatorSeries(indicator.Id, IndicatorDefinitions.LabelOf(indicator, labels, KindName), indicator.Unit,
                indicator.CoverageKind, values[i]))]);
    }

    private static async Task<IndicatorArea> AreaAsync(SettlementMapDbContext db, IndicatorPlace place, CancellationToken cancellationToken)
    {
        if (place.Municipality is { } code)
        {
            // A municipality has no English name: English reads the Latin one, as on the map.
            return await db.Municipalities.AsNoTracking().Where(m => m.Code == code)
                .Select(m => new IndicatorArea("municipality", m.Code, new Label(m.NameLatn, m.NameCyrl, m.NameLatn))).SingleAsync(cancellationToken);
        }
        if (place.District is { } district)
        {
            return await db.Districts.AsNoTracking().Where(d => d.Code == district)
                .Select(d => new IndicatorArea("district", d.Code, new Label(d.NameLatn, d.NameCyrl, d.NameEn))).SingleAsync(cancellationToken);
        }
        return new IndicatorArea("country", null, Serbia);
    }

    /// <summary>
    /// The dates asked for, ascending and distinct: dates=a,b,… or from=&amp;to=&amp;step= (to included, and the last
    /// date when a step does not land on it); without either, every 1 January from <see cref="DefaultFrom"/> and today.
    /// At most <see cref="MaxDates"/>, none after today (history does not know the future). Errors name the parameter.
    /// </summary>
    public static List<DateOnly>? ReadDates(QueryParameters query, string? dates, string? from, string? to, string? step, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (dates is not null && (from ?? to ?? step) is not null)
        {
            query.AddError("dates", "Give dates=… or from=&to=&step=, not both.");
            return null;
        }
        if (dates is not null)
        {
            var texts = dates.Split(',');
            if (texts.Length > MaxDates)
            {
                query.AddError("dates", $"dates lists at most {MaxDates} dates; got {texts.Length}.");
                return null;
            }
            var list = new List<DateOnly>();
            foreach (var text in texts)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) || day.Year < 1900)
                {
                    query.AddError("dates", $"dates is a comma-separated list of dates written yyyy-MM-dd (from 1900 on); got '{Http.Shown.Value(text)}'.");
                    return null;
                }
                list.Add(day);
            }
            return Checked(query, "dates", [.. list.Distinct().Order()], today);
        }
        var start = query.Date("from", from) ?? (from is null ? DefaultFrom : (DateOnly?)null);
        var end = query.Date("to", to) ?? (to is null ? today : (DateOnly?)null);
        var unit = query.OneOf("step", step, Steps) ?? "year";
        if (start is not { } first || end is not { } last)
        {
            return null;
        }
        if (first.Year < 1900)
        {
            query.AddError("from", "from is a date from 1900 on.");
            return null;
        }
        if (last < first)
        {
            query.AddError("to", $"to ({last:yyyy-MM-dd}) is before from ({first:yyyy-MM-dd}).");
            return null;
        }
        if (last > today)
        {
            query.AddError("to", $"to ({last:yyyy-MM-dd}) is after today ({today:yyyy-MM-dd}): the history holds no state yet for it.");
            return null;
        }
        var days = new List<DateOnly>();
        // Each date counted from the first (not from the one before), so 31 January steps to the end of each month.
        for (var n = 0; days.Count <= MaxDates; n++)
        {
            var day = unit switch
            {
                "month" => first.AddMonths(n),
                "quarter" => first.AddMonths(3 * n),
                _ => first.AddYears(n),
            };
            if (day > last)
            {
                break;
            }
            days.Add(day);
        }
        if (days[^1] != last)
        {
            days.Add(last);
        }
        if (days.Count > MaxDates)
        {
            query.AddError("step", $"from, to and step give more than {MaxDates} dates: take a longer step or a shorter period.");
            return null;
        }
        return days;
    }

    private static List<DateOnly>? Checked(QueryParameters query, string parameter, List<DateOnly> days, DateOnly today)
    {
        if (days[^1] > today)
        {
            query.AddError(parameter, $"{days[^1]:yyyy-MM-dd} is after today ({today:yyyy-MM-dd}): the history holds no state yet for it.");
            return null;
        }
        return days;
    }

    /// <summary>
    /// The series as CSV: a row per date, a column per indicator headed by its label in <paramref name="language"/>
    /// (the page's words, "(%)" after a percentage), then the area; numbers invariant, text cells safe for spreadsheets (<see cref="SpreadsheetText"/>).
    /// UTF-8 with a byte-order mark, as Excel wants.
    /// </summary>
    public static byte[] Csv(IndicatorAnswer answer, PageLabels labels, string language)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(labels);
        string Labelled(string key) => labels.Find(key)?.In(language) ?? key;
        using var stream = new MemoryStream();
        using (var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture)))
        {
            csv.WriteField(SpreadsheetText.Cell(Labelled("indicator.date")));
            foreach (var series in answer.Indicators)
            {
                // A percentage says so; a count's label already names what it counts.
                csv.WriteField(SpreadsheetText.Cell(series.Unit == IndicatorUnit.Percent ? $"{series.Label.In(language)} (%)" : series.Label.In(language)));
            }
            csv.WriteField(SpreadsheetText.Cell(Labelled("indicator.area")));
            csv.NextRecord();
            for (var i = 0; i < answer.Dates.Count; i++)
            {
                csv.WriteField(answer.Dates[i].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                foreach (var series in answer.Indicators)
                {
                    csv.WriteField(series.Values[i] is { } value ? IndicatorDefinitions.Invariant(value) : "");
                }
                csv.WriteField(SpreadsheetText.Cell(answer.Area.Name.In(language)));
                csv.NextRecord();
            }
        }
        return stream.ToArray();
    }

}
