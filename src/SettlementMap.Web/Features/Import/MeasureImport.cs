using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Import.Readers;
using SettlementMap.Web.Features.Measures;

namespace SettlementMap.Web.Features.Import;

/// <summary>
/// Measures from a spreadsheet (CSV or XLSX, as plans are kept; kind=measures), through the importer's readers, upload,
/// bounds and report. Each row becomes the body POST /api/measures takes and goes through <see cref="MeasureEdit"/>: the
/// API's rules, refusals (naming the field) and audit, not a second set. Columns are named as the API's members, with
/// <c>municipality</c> (a code; the plan is then its latest) or <c>plan</c> (a plan id), <c>currency</c>,
/// <c>budget_amount</c>, <c>spent_amount</c>, <c>settlement_codes</c> (several in a cell, separated by ";" or ",") and
/// <c>indicators</c> ("name: target/achieved unit; …"). A measure has no stable code: a row matches the measure of the same
/// plan with the same title (Latin, else Cyrillic) and updates it; otherwise it creates one.
/// </summary>
public static class MeasureImport
{
    public const string Kind = "measures";

    /// <summary>A plan has tens of measures; a file of thousands is not a plan (and every row is checked against the database).</summary>
    public const int MaxRows = 5_000;

    public const string MunicipalityColumn = "municipality";
    public const string PlanColumn = "plan";
    public const string IndicatorsColumn = "indicators";

    private static readonly string[] Direct =
    [
        "priority_area", "title_latn", "title_cyrl", "title_en", "target_attribute", "target_value", "responsible_body",
        "funding_source", "programme_code", "donor_name", "status", "started_on", "done_on", "dropped_on",
    ];

    private static readonly string[] Budget = ["currency", "budget_amount", "spent_amount"];

    /// <summary>Every column the import reads, in the sample's order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        [MunicipalityColumn, PlanColumn, .. Direct.Take(4), "settlement_codes", .. Direct.Skip(4), .. Budget, IndicatorsColumn];

    public static async Task<ImportReport> RunAsync(SettlementMapDbContext db, TimeProvider clock, string path, string fileName, ImportReadOptions read,
        ImportLimits limits, Editor editor, Guid importId, bool apply, bool skipBadRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(editor);
        var stopwatch = Stopwatch.StartNew();
        var bounded = limits with { MaxRows = Math.Min(limits.MaxRows, MaxRows) };
        // A first pass only counts: a file beyond the bound is refused whole before any row costs a query.
        await using (var counting = await ImportSources.OpenAsync(path, fileName, read, bounded, cancellationToken))
        {
            await foreach (var _ in counting.ReadRowsAsync(cancellationToken))
            {
            }
        }
        await using var source = await ImportSources.OpenAsync(path, fileName, read, bounded, cancellationToken);
        var description = source.Description;
        if (description.Format is not ("CSV" or "XLSX"))
        {
            throw new ImportFileException($"Measures are imported from a spreadsheet (.csv or .xlsx), not {description.Format}.");
        }
        var report = new ImportReport { Id = importId, FileName = fileName, Format = description.Format, Encoding = description.Encoding, DryRun = !apply, SkipBadRows = skipBadRows };
        report.Notes.Add("Row numbers count the data rows: row 1 is the first row under the header.");
        report.Notes.Add("A row updates the measure of the same plan with the same title; otherwise it creates one.");
        var columns = description.Columns.ToDictionary(c => c, Normal, StringComparer.Ordinal);
        report.Mapping = columns.Where(c => Columns.Contains(c.Value)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        report.UnmappedColumns = [.. columns.Where(c => !Columns.Contains(c.Value)).Select(c => c.Key)];
        if (!report.Mapping.ContainsValue(MunicipalityColumn) && !report.Mapping.ContainsValue(PlanColumn))
        {
            throw new ImportFileException($"No column names the plan: name one '{MunicipalityColumn}' (its code: the latest plan) or '{PlanColumn}' (a plan's id). " +
                $"The columns a measures file may have: {string.Join(", ", Columns)}.");
        }

        // Plans are read untracked: a row's refusal clears the tracker, and a new measure names its plan by id only.
        var plans = new Dictionary<string, ActionPlan?>(StringComparer.OrdinalIgnoreCase);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await foreach (var row in source.ReadRowsAsync(cancellationToken))
        {
            report.RowsRead++;
            var values = report.Mapping.ToDictionary(c => c.Value, c => Text(row.Values.GetValueOrDefault(c.Key)), StringComparer.Ordinal);
            var problems = new List<RowProblem>();
            var plan = await PlanAsync(db, values, plans, row.Number, problems, cancellationToken);
            if (plan is not null && !editor.MayEdit(plan.MunicipalityId))
            {
                problems.Add(new RowProblem(row.Number, MunicipalityColumn, plan.Municipality!.Code,
                    $"You may import the measures of your own municipalities only, not of {plan.Municipality.NameLatn}."));
            }
            var body = Body(values, plan, row.Number, problems);
            if (plan is not null)
            {
                // Checked by the API's rules even when the row is refused already, so the report names every bad field at once.
                await ApplyRowAsync(db, body, plan, values, row.Number, editor, now, today, report, problems, cancellationToken);
            }
            if (problems.Count > 0)
            {
                report.RowsWithProblems++;
                problems.ForEach(report.Add);
            }
        }
        if (!apply)
        {
            await transaction.RollbackAsync(cancellationToken);
            report.Outcome = $"Dry run: {report.RowsWithProblems} of {report.RowsRead} rows have problems. Apply would create {report.Created}, update {report.Updated} and leave {report.Unchanged} unchanged.";
        }
        else if (report.RowsWithProblems > 0 && !skipBadRows)
        {
            await transaction.RollbackAsync(cancellationToken);
            report.Created = report.Updated = 0;
            report.Outcome = $"Nothing was imported: {report.RowsWithProblems} of {report.RowsRead} rows have problems. Fix them, or apply skipping the bad rows.";
        }
        else
        {
            await transaction.CommitAsync(cancellationToken);
            report.Applied = true;
            report.Outcome = $"Imported: {report.Created} created, {report.Updated} updated, {report.Unchanged} unchanged" +
                (report.RowsWithProblems > 0 ? $", {report.RowsWithProblems} bad rows skipped." : ".");
        }
        db.ChangeTracker.Clear();
        report.Seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 2);
        return report;
    }

    /// <summary>The spreadsheet column an API member's refusal is about ("budget.amount" → budget_amount).</summary>
    private static string Column(string field) => field switch
    {
        MeasureEdit.PlanMember => PlanColumn,
        "budget.amount" => "budget_amount",
        "budget.spent" => "spent_amount",
        "budget.currency" or "budget" => "currency",
        _ when field.StartsWith("indicators", StringComparison.Ordinal) => IndicatorsColumn,
        _ => field,
    };

    /// <summary>The value a report quotes: a huge cell is cut, the report stays small.</summary>
    private static string? Cut(string? value) => value is { Length: > MaxQuoted } ? string.Concat(value.AsSpan(0, MaxQuoted), "…") : value;

    private const int MaxQuoted = 200;

    /// <summary>A header as a column name: "Budget amount" → budget_amount.</summary>
    private static string Normal(string header) => string.Join('_', header.Trim().ToLowerInvariant().Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries));

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static async Task<ActionPlan?> PlanAsync(SettlementMapDbContext db, Dictionary<string, string?> values, Dictionary<string, ActionPlan?> plans,
        long number, List<RowProblem> problems, CancellationToken cancellationToken)
    {
        if (values.GetValueOrDefault(PlanColumn) is { } planText)
        {
            if (!int.TryParse(planText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                problems.Add(new RowProblem(number, PlanColumn, Cut(planText), "plan is a plan's id, a whole number."));
                return null;
            }
            if (!plans.TryGetValue("#" + planText, out var byId))
            {
                byId = plans["#" + planText] = await db.ActionPlans.AsNoTracking().Include(p => p.Municipality).SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
            }
            if (byId is null)
            {
                var refusal = MeasureRefusals.UnknownPlan(PlanColumn, planText);
                problems.Add(new RowProblem(number, PlanColumn, planText, refusal.Message, refusal.Rule, refusal.ToErrorCode()));
            }
            return byId;
        }
        if (values.GetValueOrDefault(MunicipalityColumn) is not { } code)
        {
            problems.Add(new RowProblem(number, MunicipalityColumn, null, $"Each row names its plan: the municipality's code, or a plan id in '{PlanColumn}'."));
            return null;
        }
        if (!plans.TryGetValue(code, out var plan))
        {
            var lower = code.ToLowerInvariant();
            plan = plans[code] = await db.ActionPlans.AsNoTracking().Include(p => p.Municipality).Where(p => p.Municipality!.Code == lower)
                .OrderByDescending(p => p.PeriodStart).FirstOrDefaultAsync(cancellationToken);
        }
        if (plan is null)
        {
            problems.Add(new RowProblem(number, MunicipalityColumn, Cut(code), $"No municipality with the code '{code}' has a local action plan."));
        }
        return plan;
    }

    /// <summary>The row as the API's body; a value the spreadsheet form cannot give (an indicator written otherwise) is a problem here.</summary>
    private static JsonObject Body(Dictionary<string, string?> values, ActionPlan? plan, long number, List<RowProblem> problems)
    {
        var body = new JsonObject { [MeasureEdit.PlanMember] = plan?.Id };
        foreach (var name in Direct)
        {
            if (values.GetValueOrDefault(name) is { } value)
            {
                body[name] = value;
            }
        }
        if (values.GetValueOrDefault("settlement_codes") is { } codes)
        {
            body["settlement_codes"] = new JsonArray([.. codes.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => (JsonNode?)c)]);
        }
        if (Budget.Any(values.ContainsKey) && Budget.Any(b => values.GetValueOrDefault(b) is not null))
        {
            body["budget"] = new JsonObject
            {
                ["currency"] = values.GetValueOrDefault("currency"),
                ["amount"] = Number(values.GetValueOrDefault("budget_amount")),
                ["spent"] = Number(values.GetValueOrDefault("spent_amount")),
            };
        }
        if (values.GetValueOrDefault(IndicatorsColumn) is { } indicators)
        {
            if (MeasureIndicatorText.Parse(indicators) is { } parsed)
            {
                body["indicators"] = parsed;
            }
            else
            {
                problems.Add(new RowProblem(number, IndicatorsColumn, Cut(indicators), MeasureIndicatorText.Form));
            }
        }
        return body;
    }

    /// <summary>A number as a JSON number; other text stays text, for the API's rule to refuse naming the field.</summary>
    private static JsonValue? Number(string? text) =>
        text is null ? null
        : decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? JsonValue.Create(value) : JsonValue.Create(text);

    private static async Task ApplyRowAsync(SettlementMapDbContext db, JsonObject body, ActionPlan plan, Dictionary<string, string?> values, long number,
        Editor editor, DateTimeOffset now, DateOnly today, ImportReport report, List<RowProblem> problems, CancellationToken cancellationToken)
    {
        var title = values.GetValueOrDefault("title_latn");
        var titleCyrl = values.GetValueOrDefault("title_cyrl");
        var existing = title is null && titleCyrl is null ? null : await db.Measures.WithSnapshotParts()
            .Where(m => m.ActionPlanId == plan.Id && (title != null ? m.TitleLatn == title : m.TitleCyrl == titleCyrl))
            .OrderBy(m => m.Id).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            body.Remove(MeasureEdit.PlanMember);
        }
        using var document = JsonDocument.Parse(body.ToJsonString());
        var edit = MeasureEdit.Read(document.RootElement, creating: existing is null);
        await edit.ResolveAsync(db, plan, cancellationToken);
        var measure = existing ?? new Measure
        {
            ActionPlanId = plan.Id, TitleLatn = "", TitleCyrl = "", CreatedAt = now, UpdatedAt = now, UpdatedBy = editor.UserName,
        };
        var before = existing is null ? null : MeasureViews.Snapshot(existing);
        edit.ApplyTo(measure, today);
        if (!edit.IsValid || problems.Count > 0)
        {
            foreach (var (field, errors) in edit.Errors)
            {
                problems.AddRange(errors.Select(e => new RowProblem(number, field, Cut(values.GetValueOrDefault(Column(field))), e.Message, e.Rule, e.ToErrorCode())));
            }
            db.ChangeTracker.Clear();
            return;
        }
        var after = MeasureViews.Snapshot(measure);
        if (existing is not null && JsonSerializer.Serialize(before) == JsonSerializer.Serialize(after))
        {
            report.Unchanged++;
            report.Actions.Add(new RowPlacement(number, measure.TitleLatn, "unchanged"));
            return;
        }
        if (existing is null)
        {
            db.Measures.Add(measure);
        }
        measure.UpdatedAt = now;
        measure.UpdatedBy = editor.UserName;
        // Saved at once in the run's transaction (rolled back by a dry run): the next row may name the same title.
        await db.SaveChangesAsync(cancellationToken);
        db.MeasureChanges.Add(MeasureAudit.Record(existing is null ? ChangeAction.Create : ChangeAction.Update, measure.Id, plan.Id, plan.MunicipalityId,
            editor.UserName, now, before, after));
        await db.SaveChangesAsync(cancellationToken);
        if (existing is null)
        {
            report.Created++;
        }
        else
        {
            report.Updated++;
        }
        if (report.Actions.Count < ImportReport.MaxListedProblems)
        {
            report.Actions.Add(new RowPlacement(number, measure.TitleLatn, existing is null ? "create" : "update"));
        }
    }
}

/// <summary>
/// A measure's indicators in one spreadsheet cell: "name: target/achieved unit; …" — e.g.
/// "Households connected: 40/12 households; Children enrolled: 25 children". Target, achieved and unit may each be left out.
/// </summary>
public static class MeasureIndicatorText
{
    public const string Form = "Indicators are written \"name: target/achieved unit; …\", e.g. \"Households connected: 40/12 households\"; the numbers with a decimal point.";

    /// <summary>The cell as the API's indicators array, or null when it is not in that form.</summary>
    public static JsonArray? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new JsonArray();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? "" : part[..colon].Trim();
            if (name.Length == 0)
            {
                return null;
            }
            var rest = part[(colon + 1)..].Trim();
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            var numbers = space < 0 ? rest : rest[..space];
            var unit = space < 0 ? null : rest[(space + 1)..].Trim();
            var slash = numbers.Split('/');
            if (slash.Length > 2 || !TryNumber(slash[0], out var target) || !TryNumber(slash.Length == 2 ? slash[1] : "", out var achieved))
            {
                return null;
            }
            list.Add(new JsonObject { ["name"] = name, ["unit"] = string.IsNullOrEmpty(unit) ? null : unit, ["target"] = target, ["achieved"] = achieved });
        }
        return list;
    }

    private static bool TryNumber(string text, out JsonNode? value)
    {
        value = null;
        if (text.Length == 0)
        {
            return true;
        }
        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
        {
            value = JsonValue.Create(number);
            return true;
        }
        return false;
    }
}
