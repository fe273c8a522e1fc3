using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using static SettlementMap.Web.Features.Measures.MeasureResponses;

namespace SettlementMap.Web.Features.Measures;

/// <summary>
/// Local action plans: anyone reads them; coordinators create and change those of their own municipalities,
/// administrators everywhere, each change audited in measure_changes (a row without a measure).
/// </summary>
public static class ActionPlanHandlers
{
    private const int BodyLimitBytes = 16 * 1024;
    private const int DefaultLimit = 200;
    private const int MaxLimit = 500;
    private static readonly string[] ListParameters = ["municipality", "limit", "offset"];

    public static void Map(IEndpointRouteBuilder app)
    {
        var reads = app.MapGroup("/api/action-plans").WithTags("Measures");
        reads.MapGet("/", ListActionPlans).WithName(nameof(ListActionPlans))
            .WithSummary("Local action plans, optionally of one municipality, with how many measures each has");
        reads.MapGet("/{planId}", GetActionPlan).WithName(nameof(GetActionPlan)).WithSummary("One plan, with its ETag");
        var writes = app.MapGroup("/api/action-plans").WithTags("Measures")
            .RequireAuthorization(Authentication.EditorPolicy)
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies);
        writes.MapPost("/", CreateActionPlan).WithName(nameof(CreateActionPlan))
            .WithSummary("A new local action plan: coordinators of its municipality, administrators");
        writes.MapPatch("/{planId}", UpdateActionPlan).WithName(nameof(UpdateActionPlan))
            .WithSummary("Changes the members given; send If-Match with the ETag you read");
    }

    public static async Task<Results<Ok<ActionPlanPage>, ValidationProblem>> ListActionPlans(
        HttpContext context, SettlementMapDbContext db, [FromQuery] string? municipality, [FromQuery] string? limit, [FromQuery] string? offset,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        query.RejectUnknown(context.Request.Query, ListParameters);
        var code = query.Code("municipality", municipality);
        var take = query.WholeNumber("limit", limit, 1, MaxLimit) ?? DefaultLimit;
        var skip = query.WholeNumber("offset", offset, 0, 1_000_000) ?? 0;
        await PlaceCodes.CheckExistAsync(query, db, code, null, cancellationToken);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The plans request has invalid parameters.");
        }
        var plans = db.ActionPlans.AsNoTracking();
        if (code is not null)
        {
            plans = plans.Where(p => p.Municipality!.Code == code);
        }
        var total = await plans.CountAsync(cancellationToken);
        var page = await plans.OrderBy(p => p.Municipality!.Code).ThenBy(p => p.PeriodStart).ThenBy(p => p.Id).Skip(skip).Take(take)
            .Select(p => new { Plan = p, p.Municipality!.Code, Count = p.Measures.Count })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ActionPlanPage(total, take, skip, [.. page.Select(r => MeasureViews.ToView(r.Plan, r.Code, r.Count))]));
    }

    private static async Task<ActionPlanView?> ViewAsync(SettlementMapDbContext db, int id, CancellationToken cancellationToken) =>
        await db.ActionPlans.AsNoTracking().Where(p => p.Id == id).Select(p => new { Plan = p, p.Municipality!.Code, Count = p.Measures.Count })
            .SingleOrDefaultAsync(cancellationToken) is { } row
            ? MeasureViews.ToView(row.Plan, row.Code, row.Count)
            : null;

    public static async Task<Results<Ok<ActionPlanView>, ProblemHttpResult>> GetActionPlan(
        string planId, HttpContext context, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        if (ParseId(planId) is not { } id)
        {
            return BadId(planId);
        }
        if (await ViewAsync(db, id, cancellationToken) is not { } view)
        {
            return NotFound("Plan", id);
        }
        SetETag(context, uint.Parse(view.Version, System.Globalization.CultureInfo.InvariantCulture));
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Created<ActionPlanView>, ValidationProblem, ProblemHttpResult>> CreateActionPlan(
        HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var editor = await Editor.LoadAsync(context.User, db, cancellationToken);
        if (editor is null)
        {
            return Forbidden("This account cannot edit.");
        }
        var (document, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken, BodyLimitBytes);
        if (problem is not null)
        {
            return problem;
        }
        PlanEdit edit;
        using (document)
        {
            edit = PlanEdit.Read(document!.RootElement, creating: true);
        }
        var municipality = edit.MunicipalityCode is { } code
            ? await db.Municipalities.SingleOrDefaultAsync(m => m.Code == code, cancellationToken)
            : null;
        if (municipality is null)
        {
            if (edit.MunicipalityCode is { } unknown)
            {
                edit.AddError("municipality_code", Refusals.UnknownMunicipality(SettlementRules.Printable(unknown)));
            }
            return Invalid(edit.Errors, "The new plan has invalid fields; nothing was saved.");
        }
        if (!editor.MayEdit(municipality.Id))
        {
            return Forbidden($"You may add plans of your own municipalities only, not of {municipality.NameLatn}.");
        }
        var now = clock.GetUtcNow();
        var plan = new ActionPlan { MunicipalityId = municipality.Id, TitleLatn = "", TitleCyrl = "", UpdatedAt = now, UpdatedBy = editor.UserName };
        edit.ApplyTo(plan);
        if (!edit.IsValid)
        {
            return Invalid(edit.Errors, "The new plan has invalid fields; nothing was saved.");
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.ActionPlans.Add(plan);
            await db.SaveChangesAsync(cancellationToken);
            db.MeasureChanges.Add(MeasureAudit.Record(ChangeAction.Create, null, plan.Id, municipality.Id, editor.UserName, now,
                null, MeasureViews.Snapshot(plan, municipality.Code)));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var view = (await ViewAsync(db, plan.Id, cancellationToken))!;
        SetETag(context, plan.Version);
        return TypedResults.Created($"/api/action-plans/{plan.Id}", view);
    }

    public static async Task<Results<Ok<ActionPlanView>, ValidationProblem, ProblemHttpResult>> UpdateActionPlan(
        string planId, HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ParseId(planId) is not { } id)
        {
            return BadId(planId);
        }
        var editor = await Editor.LoadAsync(context.User, db, cancellationToken);
        if (editor is null)
        {
            return Forbidden("This account cannot edit.");
        }
        var plan = await db.ActionPlans.Include(p => p.Municipality).SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (plan is null)
        {
            return NotFound("Plan", id);
        }
        if (!editor.MayEdit(plan.MunicipalityId))
        {
            return Forbidden($"You may change plans of your own municipalities only, not of {plan.Municipality!.NameLatn}.");
        }
        if (IfMatchHeader.Version(context.Request) is not { } version)
        {
            return PreconditionRequired();
        }
        if (version != plan.Version)
        {
            return Stale(context, (await ViewAsync(db, id, cancellationToken))!, plan.Version, "plan");
        }
        db.Entry(plan).Property(p => p.Version).OriginalValue = version;
        var (document, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken, BodyLimitBytes);
        if (problem is not null)
        {
            return problem;
        }
        PlanEdit edit;
        using (document)
        {
            edit = PlanEdit.Read(document!.RootElement, creating: false);
        }
        var before = MeasureViews.Snapshot(plan, plan.Municipality!.Code);
        edit.ApplyTo(plan);
        if (!edit.IsValid)
        {
            return Invalid(edit.Errors, "The change has invalid fields; nothing was saved.");
        }
        var now = clock.GetUtcNow();
        var change = MeasureAudit.Record(ChangeAction.Update, null, plan.Id, plan.MunicipalityId, editor.UserName, now,
            before, MeasureViews.Snapshot(plan, plan.Municipality.Code));
        if (MeasureAudit.HasChanges(change))
        {
            (plan.UpdatedAt, plan.UpdatedBy) = (now, editor.UserName);
            db.MeasureChanges.Add(change);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                var current = (await ViewAsync(db, id, cancellationToken))!;
                return Stale(context, current, uint.Parse(current.Version, System.Globalization.CultureInfo.InvariantCulture), "plan");
            }
        }
        var view = (await ViewAsync(db, id, cancellationToken))!;
        SetETag(context, uint.Parse(view.Version, System.Globalization.CultureInfo.InvariantCulture));
        return TypedResults.Ok(view);
    }
}
