using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using static SettlementMap.Web.Features.Measures.MeasureResponses;

namespace SettlementMap.Web.Features.Measures;

/// <summary>
/// Local action plans and their measures (issue 26): anyone reads them (the amounts only at the budgets' level,
/// <see cref="MeasureBudgets"/>); coordinators write those of their own municipalities, administrators everywhere. Every
/// write of a measure carries the version it read (If-Match) and writes its measure_changes row in the same transaction;
/// an Idempotency-Key makes a write sent again answered, not applied twice.
/// </summary>
public static class MeasuresApi
{
    private const int BodyLimitBytes = 64 * 1024;
    private const int DefaultLimit = 100;
    private const int MaxLimit = 200;
    private const int MaxOffset = 1_000_000;

    public static IEndpointRouteBuilder MapMeasuresApi(this IEndpointRouteBuilder app)
    {
        var reads = app.MapGroup("/api/measures").WithTags("Measures").PrivateWhenRestricted();
        reads.MapGet("/lists", GetMeasureLists).WithName(nameof(GetMeasureLists))
            .WithSummary("The closed lists of measures with their labels, the settlement attributes a measure may aim at, and the budgets' level");
        reads.MapGet("/", ListMeasures).WithName(nameof(ListMeasures))
            .WithSummary("Measures, filtered by municipality, settlement, status, priority_area, programme or plan; limit (1–200) and offset page them");
        reads.MapGet("/{measureId}", GetMeasure).WithName(nameof(GetMeasure)).WithSummary("One measure, with its ETag");
        reads.MapGet("/{measureId}/history", GetMeasureHistory).WithName(nameof(GetMeasureHistory))
            .WithSummary("Every recorded change of a measure, latest first (amounts only for viewers who may see them)");

        var writes = app.MapGroup("/api/measures").WithTags("Measures")
            .RequireAuthorization(Authentication.EditorPolicy)
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies);
        writes.MapPost("/", CreateMeasure).WithName(nameof(CreateMeasure))
            .WithSummary("A new measure of a plan: coordinators of the plan's municipality, administrators");
        writes.MapPatch("/{measureId}", UpdateMeasure).WithName(nameof(UpdateMeasure))
            .WithSummary("Changes the members given; send If-Match with the ETag you read. A status without its day is dated today");
        writes.MapDelete("/{measureId}", DeleteMeasure).WithName(nameof(DeleteMeasure)).WithSummary("Deletes a measure (its history is kept); send If-Match");
        writes.MapPut("/budget-level", SetBudgetLevel).WithName(nameof(SetBudgetLevel))
            .WithSummary("Administrators: who may see the measures' budget and spent amounts (public, signed_in, administrators)")
            .RequireAuthorization(Authentication.AdministratorPolicy);

        ActionPlanHandlers.Map(app);
        MeasureMapHandlers.Map(app);
        return app;
    }

    public static async Task<Ok<MeasureVocabulary>> GetMeasureLists(DisclosurePolicies policies, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        var policy = await policies.GetAsync(cancellationToken);
        var programmes = await db.Programmes.AsNoTracking().OrderBy(p => p.Code)
            .Select(p => new { p.Code, p.NameSrLatn, p.NameSrCyrl, p.NameEn }).ToListAsync(cancellationToken);
        return TypedResults.Ok(new MeasureVocabulary(
            MeasureLists.All.ToDictionary(l => l.Name, l => l.Values, StringComparer.Ordinal),
            [.. MeasureRules.Targets.Select(f => new MeasureTarget(f.Name, EnumText.ToText(f.Attribute.Type), f.Attribute.List?.Name, f.Attribute.Label))],
            MeasureBudgets.LevelOf(policy).ToText(),
            [.. programmes.Select(p => new ListValue(p.Code, new Text.Label(p.NameSrLatn, p.NameSrCyrl, p.NameEn)))]));
    }

    public static async Task<Results<Ok<MeasurePage>, ValidationProblem>> ListMeasures(
        HttpContext context, SettlementMapDbContext db, [AsParameters] MeasureFilterQuery filters,
        [FromQuery] string? limit, [FromQuery] string? offset, CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        var filter = await filters.ReadAsync(query, context.Request, db, cancellationToken, "limit", "offset");
        var take = query.WholeNumber("limit", limit, 1, MaxLimit) ?? DefaultLimit;
        var skip = query.WholeNumber("offset", offset, 0, MaxOffset) ?? 0;
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The measures request has invalid parameters.");
        }
        var measures = filter.Apply(db.Measures.AsNoTracking());
        var total = await measures.CountAsync(cancellationToken);
        var page = await Rows(measures.OrderBy(m => m.ActionPlan!.Municipality!.Code).ThenBy(m => m.ActionPlanId).ThenBy(m => m.Id).Skip(skip).Take(take))
            .ToListAsync(cancellationToken);
        var shown = await DisclosurePolicies.OfAsync(context);
        return TypedResults.Ok(new MeasurePage(total, take, skip, [.. page.Select(r => MeasureViews.ToView(r, shown))]));
    }

    /// <summary>What a measure's view is built from, read in one query (no outlines: only the settlements' codes and names).</summary>
    private static IQueryable<MeasureRow> Rows(IQueryable<Measure> measures) => measures.Select(m => new MeasureRow(
        m, m.ActionPlan!.MunicipalityId, m.ActionPlan.Municipality!.Code, m.Programme == null ? null : m.Programme.Code,
        m.Settlements.OrderBy(s => s.Code).Select(s => new MeasureSettlement(s.Id, s.Code, s.NameLatn, s.NameCyrl)).ToList(),
        m.Indicators.OrderBy(i => i.Position).ToList())).AsSplitQuery(); // two collections: one query each, not their product

    private static Task<MeasureRow?> RowAsync(SettlementMapDbContext db, long id, CancellationToken cancellationToken) =>
        Rows(db.Measures.AsNoTracking().Where(m => m.Id == id)).SingleOrDefaultAsync(cancellationToken);

    public static async Task<Results<Ok<MeasureView>, ProblemHttpResult>> GetMeasure(
        string measureId, HttpContext context, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        if (ParseId(measureId) is not { } id)
        {
            return BadId(measureId);
        }
        if (await RowAsync(db, id, cancellationToken) is not { } row)
        {
            return NotFound("Measure", id);
        }
        SetETag(context, row.Measure.Version);
        return TypedResults.Ok(MeasureViews.ToView(row, await DisclosurePolicies.OfAsync(context)));
    }

    public static async Task<Results<Ok<List<MeasureHistoryEntry>>, ProblemHttpResult>> GetMeasureHistory(
        string measureId, HttpContext context, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        if (ParseId(measureId) is not { } id)
        {
            return BadId(measureId);
        }
        var rows = await db.MeasureChanges.AsNoTracking().Where(c => c.MeasureId == id).OrderByDescending(c => c.ChangedAt).ThenByDescending(c => c.Id)
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return NotFound("Measure", id);
        }
        var shown = await DisclosurePolicies.OfAsync(context);
        return TypedResults.Ok(rows.Select(r => new MeasureHistoryEntry(r.Id, EnumText.ToText(r.Action), r.ChangedAt, r.ChangedBy, ShownChanges(r, shown))).ToList());
    }

    /// <summary>
    /// The changed fields this viewer may see: the amounts only at the budgets' level, the target only when its
    /// attribute (before or after) is one the viewer sees in the plan's municipality.
    /// </summary>
    private static JsonElement ShownChanges(MeasureChange row, Disclosure shown)
    {
        using var changes = JsonDocument.Parse(row.Changes);
        var targets = new[] { row.Before, row.After }.Where(s => s is not null).Select(s =>
        {
            using var snapshot = JsonDocument.Parse(s!);
            return snapshot.RootElement.TryGetProperty("target_attribute", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        }).OfType<string>();
        var hideTarget = targets.Any(t => !shown.Shows(t, row.MunicipalityId));
        var hideBudget = !MeasureBudgets.Shows(shown, row.MunicipalityId);
        var kept = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var change in changes.RootElement.EnumerateObject())
        {
            if ((hideBudget && MeasureBudgets.Fields.Contains(change.Name)) || (hideTarget && change.Name is "target_attribute" or "target_value"))
            {
                continue;
            }
            kept[change.Name] = change.Value.Clone();
        }
        return JsonSerializer.SerializeToElement(kept);
    }

    public static async Task<Results<Created<MeasureView>, Ok<MeasureView>, ValidationProblem, ProblemHttpResult>> CreateMeasure(
        HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var editor = await Editor.LoadAsync(context.User, db, cancellationToken);
        if (editor is null)
        {
            return Forbidden("This account cannot edit.");
        }
        var (key, keyProblem) = RequestKeys.Read(context.Request);
        if (keyProblem is not null)
        {
            return keyProblem;
        }
        if (await DoneBeforeAsync(db, editor, key, cancellationToken) is { } done)
        {
            if (Mismatch(done, ChangeAction.Create, null) is { } mismatch)
            {
                return mismatch;
            }
            var (view, gone) = await ReplayAsync(context, db, done, cancellationToken);
            return view is null ? gone! : TypedResults.Ok(view);
        }
        var (document, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken, BodyLimitBytes);
        if (problem is not null)
        {
            return problem;
        }
        MeasureEdit edit;
        using (document)
        {
            edit = MeasureEdit.Read(document!.RootElement, creating: true);
        }
        var plan = edit.PlanId is { } planId
            ? await db.ActionPlans.Include(p => p.Municipality).SingleOrDefaultAsync(p => p.Id == planId, cancellationToken)
            : null;
        if (plan is null)
        {
            if (edit.PlanId is { } unknown)
            {
                edit.Errors[MeasureEdit.PlanMember] = [MeasureRefusals.UnknownPlan(MeasureEdit.PlanMember, unknown.ToString(System.Globalization.CultureInfo.InvariantCulture))];
            }
            return Invalid(edit.Errors, "The new measure has invalid fields; nothing was saved.");
        }
        if (!editor.MayEdit(plan.MunicipalityId))
        {
            return Forbidden($"You may edit the measures of your own municipalities only, not of {plan.Municipality!.NameLatn}.");
        }
        await edit.ResolveAsync(db, plan, cancellationToken);
        var now = clock.GetUtcNow();
        var measure = new Measure
        {
            ActionPlanId = plan.Id, ActionPlan = plan, TitleLatn = "", TitleCyrl = "", CreatedAt = now, UpdatedAt = now, UpdatedBy = editor.UserName,
        };
        edit.ApplyTo(measure, Today(clock));
        if (!edit.IsValid)
        {
            return Invalid(edit.Errors, "The new measure has invalid fields; nothing was saved.");
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Measures.Add(measure);
            await db.SaveChangesAsync(cancellationToken);
            db.MeasureChanges.Add(MeasureAudit.Record(ChangeAction.Create, measure.Id, plan.Id, plan.MunicipalityId, editor.UserName, now,
                null, MeasureViews.Snapshot(measure), key));
            if (await SaveOrCopyAsync(db, cancellationToken) is { } copy)
            {
                return copy;
            }
            await transaction.CommitAsync(cancellationToken);
        }
        var row = (await RowAsync(db, measure.Id, cancellationToken))!;
        SetETag(context, row.Measure.Version);
        return TypedResults.Created($"/api/measures/{measure.Id}", MeasureViews.ToView(row, await DisclosurePolicies.OfAsync(context)));
    }

    public static async Task<Results<Ok<MeasureView>, ValidationProblem, ProblemHttpResult>> UpdateMeasure(
        string measureId, HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (measure, editor, key, done, failure) = await LoadForWriteAsync(measureId, ChangeAction.Update, context, db, cancellationToken);
        if (done is not null)
        {
            var (view, gone) = await ReplayAsync(context, db, done, cancellationToken);
            return view is null ? gone! : TypedResults.Ok(view);
        }
        if (failure is not null)
        {
            return failure;
        }
        var (document, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken, BodyLimitBytes);
        if (problem is not null)
        {
            return problem;
        }
        MeasureEdit edit;
        using (document)
        {
            edit = MeasureEdit.Read(document!.RootElement, creating: false);
        }
        await edit.ResolveAsync(db, measure!.ActionPlan!, cancellationToken);
        var before = MeasureViews.Snapshot(measure);
        edit.ApplyTo(measure, Today(clock));
        if (!edit.IsValid)
        {
            return Invalid(edit.Errors, "The change has invalid fields; nothing was saved.");
        }
        var now = clock.GetUtcNow();
        var change = MeasureAudit.Record(ChangeAction.Update, measure.Id, measure.ActionPlanId, measure.ActionPlan!.MunicipalityId, editor!.UserName, now,
            before, MeasureViews.Snapshot(measure), key);
        if (MeasureAudit.HasChanges(change))
        {
            (measure.UpdatedAt, measure.UpdatedBy) = (now, editor.UserName);
            db.MeasureChanges.Add(change);
            if (await SaveAsync(db, context, measure.Id, cancellationToken) is { } refused)
            {
                return refused;
            }
        }
        var row = (await RowAsync(db, measure.Id, cancellationToken))!;
        SetETag(context, row.Measure.Version);
        return TypedResults.Ok(MeasureViews.ToView(row, await DisclosurePolicies.OfAsync(context)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteMeasure(
        string measureId, HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (measure, editor, key, done, failure) = await LoadForWriteAsync(measureId, ChangeAction.Delete, context, db, cancellationToken);
        if (done is not null)
        {
            RequestKeys.MarkReplayed(context.Response);
            return TypedResults.NoContent();
        }
        if (failure is not null)
        {
            return failure;
        }
        db.MeasureChanges.Add(MeasureAudit.Record(ChangeAction.Delete, measure!.Id, measure.ActionPlanId, measure.ActionPlan!.MunicipalityId, editor!.UserName,
            clock.GetUtcNow(), MeasureViews.Snapshot(measure), null, key));
        db.Measures.Remove(measure);
        return await SaveAsync(db, context, measure.Id, cancellationToken) is { } conflict ? conflict : TypedResults.NoContent();
    }

    /// <summary>
    /// The measure to change, tracked with its plan, programme, settlements and indicators, after the checks every write
    /// shares: the id, the key (Done: this request's change made before, to be answered), existence, permission, If-Match.
    /// </summary>
    private static async Task<(Measure? Measure, Editor? Editor, Guid? Key, MeasureChange? Done, ProblemHttpResult? Failure)> LoadForWriteAsync(
        string id, ChangeAction action, HttpContext context, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        if (ParseId(id) is not { } measureId)
        {
            return (null, null, null, null, BadId(id));
        }
        var editor = await Editor.LoadAsync(context.User, db, cancellationToken);
        if (editor is null)
        {
            return (null, null, null, null, Forbidden("This account cannot edit."));
        }
        var (key, keyProblem) = RequestKeys.Read(context.Request);
        if (keyProblem is not null)
        {
            return (null, null, null, null, keyProblem);
        }
        if (await DoneBeforeAsync(db, editor, key, cancellationToken) is { } done)
        {
            return Mismatch(done, action, measureId) is { } mismatch ? (null, null, null, null, mismatch) : (null, null, null, done, null);
        }
        var measure = await db.Measures.Include(m => m.ActionPlan).ThenInclude(p => p!.Municipality).WithSnapshotParts()
            .SingleOrDefaultAsync(m => m.Id == measureId, cancellationToken);
        if (measure is null)
        {
            return (null, null, null, null, NotFound("Measure", measureId));
        }
        if (!editor.MayEdit(measure.ActionPlan!.MunicipalityId))
        {
            return (null, null, null, null, Forbidden($"You may edit the measures of your own municipalities only, not of {measure.ActionPlan.Municipality!.NameLatn}."));
        }
        if (IfMatchHeader.Version(context.Request) is not { } version)
        {
            return (null, null, null, null, PreconditionRequired());
        }
        if (version != measure.Version)
        {
            return (null, null, null, null, await StaleAsync(db, context, measureId, cancellationToken));
        }
        // The UPDATE/DELETE then also checks xmin, so a change that lands between our read and our write is caught too.
        db.Entry(measure).Property(m => m.Version).OriginalValue = version;
        return (measure, editor, key, null, null);
    }

    /// <summary>Saves; a change written meanwhile makes it a 412, a copy of the request written meanwhile a 409, with nothing written.</summary>
    private static async Task<ProblemHttpResult?> SaveAsync(SettlementMapDbContext db, HttpContext context, long measureId, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return await StaleAsync(db, context, measureId, cancellationToken);
        }
        catch (DbUpdateException e) when (IsKeyTaken(e))
        {
            db.ChangeTracker.Clear();
            return CopyMadeTheChange();
        }
    }

    private static async Task<ProblemHttpResult?> SaveOrCopyAsync(SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException e) when (IsKeyTaken(e))
        {
            db.ChangeTracker.Clear();
            return CopyMadeTheChange();
        }
    }

    private static async Task<ProblemHttpResult> StaleAsync(SettlementMapDbContext db, HttpContext context, long measureId, CancellationToken cancellationToken)
    {
        if (await RowAsync(db, measureId, cancellationToken) is not { } current)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The measure was deleted meanwhile.",
                detail: "Someone deleted it after you read it.", extensions: new Dictionary<string, object?>([RefusalMembers.Whole(Refusals.DeletedMeanwhile)]));
        }
        var view = JsonSerializer.SerializeToElement(MeasureViews.ToView(current, await DisclosurePolicies.OfAsync(context)), ApiJson);
        return Stale(context, view, current.Measure.Version, "measure");
    }

    /// <summary>The API's own naming (snake_case), for a view written inside a problem.</summary>
    private static readonly JsonSerializerOptions ApiJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private const string RequestKeyIndex = "IX_measure_changes_changed_by_request_key";

    private static bool IsKeyTaken(DbUpdateException e) =>
        e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: RequestKeyIndex };

    private static ProblemHttpResult CopyMadeTheChange() =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A copy of this request made the change.",
            detail: "Read the measure again: the change this request carries was made by a copy of it sent at the same time.");

    private static Task<MeasureChange?> DoneBeforeAsync(SettlementMapDbContext db, Editor editor, Guid? key, CancellationToken cancellationToken) =>
        key is { } sent
            ? db.MeasureChanges.AsNoTracking().SingleOrDefaultAsync(c => c.ChangedBy == editor.UserName && c.RequestKey == sent, cancellationToken)
            : Task.FromResult<MeasureChange?>(null);

    /// <summary>The key made another change (another action or measure): 422, as the Idempotency-Key draft says.</summary>
    private static ProblemHttpResult? Mismatch(MeasureChange done, ChangeAction action, long? measureId) =>
        done.Action == action && done.MeasureId is not null && (measureId is null || done.MeasureId == measureId)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "This Idempotency-Key was used for another change.",
                detail: "Make a new key for each change.",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [RequestKeys.Header] = ["The key was used for another change."] } });

    /// <summary>The answer to a create or update sent again: the measure as it is now (410 when it was deleted since).</summary>
    private static async Task<(MeasureView? View, ProblemHttpResult? Gone)> ReplayAsync(
        HttpContext context, SettlementMapDbContext db, MeasureChange done, CancellationToken cancellationToken)
    {
        if (await RowAsync(db, done.MeasureId!.Value, cancellationToken) is not { } row)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Your change was saved; the measure was deleted since."));
        }
        SetETag(context, row.Measure.Version);
        RequestKeys.MarkReplayed(context.Response);
        return (MeasureViews.ToView(row, await DisclosurePolicies.OfAsync(context)), null);
    }

    public static async Task<Results<Ok<BudgetLevelChange>, ValidationProblem, ProblemHttpResult>> SetBudgetLevel(
        HttpContext context, SettlementMapDbContext db, DisclosurePolicies policies, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.BindAsync<BudgetLevelChange>(context.Request, 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (LevelWrites.Read(request?.Level, out var level) is { } refused)
        {
            return refused;
        }
        // Audited with the attributes' levels: one history of who sees what.
        await LevelWrites.SetAsync(db, MeasureBudgets.LevelKey, MeasureBudgets.LevelKey, MeasureBudgets.LevelOf(await policies.GetAsync(cancellationToken)), level,
            context.User.Identity?.Name ?? "unknown", clock.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new BudgetLevelChange(level.ToText()));
    }

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
