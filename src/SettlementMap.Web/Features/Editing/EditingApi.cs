using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.History;
using SettlementMap.Web.Features.Measures;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;

using SettlementMap.Web.Features.Accounts;

namespace SettlementMap.Web.Features.Editing;

public sealed record RestoreRequest(long? ChangeId);

/// <summary>
/// One change of a settlement's history: ChangedAt is when it was written; EffectiveAt when it takes effect in the
/// settlement's history (the day an edit was observed, the day a survey describes; else ChangedAt).
/// </summary>
public sealed record HistoryEntry(long Id, string Action, DateTimeOffset ChangedAt, string ChangedBy, JsonElement Changes, bool GeometryChanged, string? Note, bool Restorable,
    DateTimeOffset EffectiveAt);

/// <summary>
/// Create, update, delete and restore settlements: signed-in coordinators within their
/// municipalities, administrators everywhere. Every write carries the version it read (If-Match)
/// and writes its settlement_changes row in the same transaction.
/// </summary>
public static class EditingApi
{
    public static IEndpointRouteBuilder MapEditingApi(this IEndpointRouteBuilder app)
    {
        var edits = app.MapGroup("/api/settlements").WithTags("Editing")
            .RequireAuthorization(Authentication.EditorPolicy)
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies);
        edits.MapPost("/", CreateSettlement).WithName(nameof(CreateSettlement))
            .WithSummary("A new settlement from a GeoJSON Feature (outline and attributes)")
            .WithDescription(ValidFromDescription);
        edits.MapPatch("/{id}", UpdateSettlement).WithName(nameof(UpdateSettlement))
            .WithSummary("Changes attributes and/or the outline; send If-Match with the ETag you read")
            .WithDescription(ValidFromDescription + " A change dated before the settlement's current version began is refused (422, before_current_version, with that instant): history is added by importing a dated survey.");
        edits.MapDelete("/{id}", DeleteSettlement).WithName(nameof(DeleteSettlement))
            .WithSummary("Deletes a settlement (its history is kept); send If-Match");
        edits.MapGet("/{id}/history", GetHistory).WithName(nameof(GetHistory))
            .WithSummary("Every recorded change of a settlement, latest in effect first: changed_at when it was written, effective_at when it takes effect");
        edits.MapPost("/{id}/restore", RestoreSettlement).WithName(nameof(RestoreSettlement))
            .WithSummary("Administrators: brings back the settlement as it was before a change, as a new change")
            .RequireAuthorization(Authentication.AdministratorPolicy);
        return app;
    }

    private const string ValidFromDescription =
        "Optional top-level member valid_from beside properties: when the change was observed, a date (2015-06-30: from the start of that day, UTC) " +
        "or an RFC 3339 date-time with its offset. Without it the change is dated now. Not in the future and not before 1900 (422 problem+json naming " +
        "valid_from, with error_codes); written otherwise, 400. The audit row keeps both: changed_at (written) and effective_at (in effect).";

    /// <summary>
    /// When an edit takes effect: its valid_from, else now. A valid_from not written as a date is the edit's field
    /// error (400 with the others); one in the future or before 1900 is a 422 naming valid_from.
    /// </summary>
    private static (DateTimeOffset At, ProblemHttpResult? Refused) EffectiveAt(SettlementEdit edit, DateTimeOffset now)
    {
        if (edit.ValidFrom is not { } text)
        {
            return (now, null);
        }
        if (ChangeTime.Read(SettlementEdit.ValidFromMember, text, now, dateOnly: false, out var at) is not { } refusal)
        {
            return (at, null);
        }
        if (refusal.Code == "not_change_instant")
        {
            edit.AddError(SettlementEdit.ValidFromMember, refusal);
            return (now, null);
        }
        return (now, ValidFromRefused(refusal));
    }

    private static ProblemHttpResult ValidFromRefused(RuleError refusal) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The change's date is not accepted.", detail: refusal.Message,
            extensions: RefusalMembers.WithMessages(SettlementEdit.ValidFromMember, refusal));

    /// <summary>422 naming valid_from when the change is dated before the settlement's current version began; null otherwise.</summary>
    private static async Task<ProblemHttpResult?> BeforeCurrentVersionAsync(SettlementMapDbContext db, long settlementId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var since = await PastVersions.CurrentSinceAsync(db, settlementId, cancellationToken);
        return since > at ? ValidFromRefused(Refusals.BeforeCurrentVersion(SettlementEdit.ValidFromMember, since.Value)) : null;
    }

    public static async Task<Results<JsonHttpResult<Feature>, ProblemHttpResult, ValidationProblem>> CreateSettlement(
        HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var answer = await CreateOnceAsync(context, db, clock, cancellationToken);
        // Refused (say, an outline that now overlaps the settlement a copy of this request has just made)? A copy's answer.
        return answer.Result is not JsonHttpResult<Feature> && await DoneBeforeAsync(context, db, RequestKeys.Read(context.Request).Key, cancellationToken) is { } done
            ? await ReplayAsync(context, db, done, ChangeAction.Create, null, cancellationToken)
            : answer;
    }

    private static async Task<Results<JsonHttpResult<Feature>, ProblemHttpResult, ValidationProblem>> CreateOnceAsync(
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
        if (key is { } sentBefore && await RequestKeys.FindAsync(db, editor.UserName, sentBefore, cancellationToken) is { } done)
        {
            return await ReplayAsync(context, db, done, ChangeAction.Create, null, cancellationToken);
        }
        var (document, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken, fieldOf: FieldAt);
        if (problem is not null)
        {
            return problem;
        }
        SettlementEdit edit;
        using (document)
        {
            edit = SettlementEdit.Read(document!.RootElement, geometryRequired: true);
        }
        var now = clock.GetUtcNow();
        var (at, refused) = EffectiveAt(edit, now);
        if (refused is not null)
        {
            return refused;
        }
        Municipality? municipality = null;
        if (edit.MunicipalityCode is { } code)
        {
            municipality = await db.Municipalities.SingleOrDefaultAsync(m => m.Code == code, cancellationToken);
            if (municipality is null)
            {
                edit.AddError("municipality_code", Refusals.UnknownMunicipality(code));
            }
        }
        else if (edit.Geometry is not null)
        {
            // Not named: the municipality that holds the outline's interior point.
            var point = edit.Geometry.InteriorPoint;
            municipality = await db.Municipalities.Where(m => m.Geom.Covers(point)).OrderBy(m => m.Id).FirstOrDefaultAsync(cancellationToken);
            if (municipality is null)
            {
                edit.AddError("geometry", Refusals.OutsideMunicipalities());
            }
        }
        edit.RequireNames();
        if (municipality is not null && !editor.MayEdit(municipality.Id))
        {
            return Forbidden($"You may edit settlements of your own municipalities only, not of {municipality.NameLatn}.");
        }
        var settlement = new Settlement
        {
            Code = edit.Code ?? "",
            NameLatn = "",
            NameCyrl = "",
            Geom = edit.Geometry!,
            Source = $"entered by {editor.UserName}",
            MunicipalityId = municipality?.Id ?? 0,
            UpdatedAt = now,
            UpdatedBy = editor.UserName,
        };
        if (municipality is not null)
        {
            await edit.CheckPlaceAsync(db, settlement, municipality, cancellationToken);
        }
        if (!edit.IsValid)
        {
            return edit.Problem("The new settlement has invalid fields.");
        }
        if (edit.CodeTaken is { } taken)
        {
            return CodeConflict(taken);
        }
        edit.ApplyTo(settlement);
        edit.CheckCrossFields(settlement);
        if (!edit.IsValid)
        {
            return edit.Problem("The new settlement has invalid fields.");
        }
        if (settlement.Code.Length == 0)
        {
            settlement.Code = await NextCodeAsync(db, municipality!, cancellationToken);
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (key is { } locked)
            {
                // Copies of one request sent at once take turns here: one creating, the others then answered with
                // its settlement. Racing instead, two inserts at one spot could deadlock in the point pyramid's refresh.
                await RequestKeys.LockAsync(db, editor.UserName, locked, cancellationToken);
                if (await RequestKeys.FindAsync(db, editor.UserName, locked, cancellationToken) is { } copy)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                    return await ReplayAsync(context, db, copy, ChangeAction.Create, null, cancellationToken);
                }
            }
            await ChangeTime.SetAsync(db, at, cancellationToken);
            try
            {
                db.Settlements.Add(settlement);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (IsCodeTaken(e))
            {
                // Another request took the code between our check and our insert (perhaps a copy of this one:
                // CreateSettlement then answers with its settlement).
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return CodeConflict(SettlementRules.CodeTakenBy(settlement.Code));
            }
            var audit = SettlementAudit.Record(ChangeAction.Create, settlement.Id, editor.UserName, now,
                null, SettlementFields.Snapshot(settlement, municipality!.Code), null, settlement.Geom, effectiveAt: edit.ValidFrom is null ? null : at);
            audit.RequestKey = key;
            db.SettlementChanges.Add(audit);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (RequestKeys.IsTaken(e))
            {
                // A copy of this request, sent at the same time, made the settlement first: this one's is rolled back,
                // and CreateSettlement answers with the copy's.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return CopyMadeTheChange();
            }
            await transaction.CommitAsync(cancellationToken);
        }

        var created = (await SettlementFeature.LoadAsync(db, settlement.Id, cancellationToken))!;
        context.Response.Headers.Location = $"/api/settlements/{created.Id}";
        return FeatureResult(context.Response, created, StatusCodes.Status201Created);
    }

    public static async Task<Results<JsonHttpResult<Feature>, ProblemHttpResult, ValidationProblem>> UpdateSettlement(
        string id, HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var answer = await UpdateOnceAsync(id, context, db, clock, cancellationToken);
        // Refused (a 412: a copy of this request, sent at the same time, made the change first)? That copy's answer.
        return answer.Result is not JsonHttpResult<Feature> && await DoneBeforeAsync(context, db, RequestKeys.Read(context.Request).Key, cancellationToken) is { } done
            ? await ReplayAsync(context, db, done, ChangeAction.Update, ParseId(id), cancellationToken)
            : answer;
    }

    private static async Task<Results<JsonHttpResult<Feature>, ProblemHttpResult, ValidationProblem>> UpdateOnceAsync(
        string id, HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (key, keyProblem) = RequestKeys.Read(context.Request);
        if (keyProblem is not null)
        {
            return keyProblem;
        }
        if (await DoneBeforeAsync(context, db, key, cancellationToken) is { } done)
        {
            return await ReplayAsync(context, db, done, ChangeAction.Update, ParseId(id), cancellationToken);
        }
        var (settlement, editor, failure) = await LoadForWriteAsync(id, context, db, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }
        var (document, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken, fieldOf: FieldAt);
        if (problem is not null)
        {
            return problem;
        }
        SettlementEdit edit;
        using (document)
        {
            edit = SettlementEdit.Read(document!.RootElement, geometryRequired: false);
        }
        var now = clock.GetUtcNow();
        var (at, refused) = EffectiveAt(edit, now);
        if ((refused ?? (edit.ValidFrom is null ? null : await BeforeCurrentVersionAsync(db, settlement!.Id, at, cancellationToken))) is { } dateRefused)
        {
            return dateRefused;
        }
        var municipality = settlement!.Municipality!;
        if (edit.MunicipalityCode is { } code && code != municipality.Code)
        {
            var target = await db.Municipalities.SingleOrDefaultAsync(m => m.Code == code, cancellationToken);
            if (target is null)
            {
                edit.AddError("municipality_code", Refusals.UnknownMunicipality(code));
            }
            else if (!editor!.MayEdit(target.Id))
            {
                return Forbidden($"You may not move a settlement into {target.NameLatn}: it is not one of your municipalities.");
            }
            else
            {
                municipality = target;
            }
        }
        await edit.CheckPlaceAsync(db, settlement, municipality, cancellationToken);
        if (!edit.IsValid)
        {
            return edit.Problem("The edit has invalid fields; nothing was saved.");
        }
        if (edit.CodeTaken is { } taken)
        {
            return CodeConflict(taken);
        }

        var before = SettlementFields.Snapshot(settlement, settlement.Municipality!.Code);
        var geometryBefore = settlement.Geom;
        edit.ApplyTo(settlement);
        settlement.MunicipalityId = municipality.Id;
        edit.CheckCrossFields(settlement);
        if (!edit.IsValid)
        {
            return edit.Problem("The edit has invalid fields; nothing was saved.");
        }
        var change = SettlementAudit.Record(ChangeAction.Update, settlement.Id, editor!.UserName, now,
            before, SettlementFields.Snapshot(settlement, municipality.Code), geometryBefore, settlement.Geom, effectiveAt: edit.ValidFrom is null ? null : at);
        if (!SettlementAudit.HasChanges(change))
        {
            return FeatureResult(context.Response, (await SettlementFeature.LoadAsync(db, settlement.Id, cancellationToken))!);
        }
        settlement.UpdatedAt = now;
        settlement.UpdatedBy = editor.UserName;
        change.RequestKey = key;
        db.SettlementChanges.Add(change);
        if (await SaveAsync(db, context, settlement.Id, at, cancellationToken) is { } conflict)
        {
            return conflict; // UpdateSettlement answers with a copy's change when there is one
        }
        return FeatureResult(context.Response, (await SettlementFeature.LoadAsync(db, settlement.Id, cancellationToken))!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSettlement(
        string id, HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var answer = await DeleteOnceAsync(id, context, db, clock, cancellationToken);
        return answer.Result is not NoContent && await DoneBeforeAsync(context, db, RequestKeys.Read(context.Request).Key, cancellationToken) is { } done
            ? ReplayedDelete(context, done, ParseId(id))
            : answer;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteOnceAsync(
        string id, HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (key, keyProblem) = RequestKeys.Read(context.Request);
        if (keyProblem is not null)
        {
            return keyProblem;
        }
        if (await DoneBeforeAsync(context, db, key, cancellationToken) is { } done)
        {
            return ReplayedDelete(context, done, ParseId(id));
        }
        var (settlement, editor, failure) = await LoadForWriteAsync(id, context, db, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }
        var now = clock.GetUtcNow();
        var audit = SettlementAudit.Record(ChangeAction.Delete, settlement!.Id, editor!.UserName, now,
            SettlementFields.Snapshot(settlement, settlement.Municipality!.Code), null, settlement.Geom, null);
        audit.RequestKey = key;
        db.SettlementChanges.Add(audit);
        await MeasureSettlementLinks.UnlinkDeletedAsync(db, settlement.Id, editor.UserName, now, cancellationToken);
        db.Settlements.Remove(settlement);
        if (await SaveAsync(db, context, settlement.Id, now, cancellationToken) is { } conflict)
        {
            return conflict; // DeleteSettlement answers with a copy's change when there is one
        }
        return TypedResults.NoContent();
    }

    /// <summary>Two copies of one keyed request at once, the other first: the public handler answers with its change.</summary>
    private static ProblemHttpResult CopyMadeTheChange() =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A copy of this request made the change.");

    /// <summary>The change this signed-in editor already made with the request's key (null without a key or an editor).</summary>
    private static async Task<SettlementChange?> DoneBeforeAsync(HttpContext context, SettlementMapDbContext db, Guid? key, CancellationToken cancellationToken) =>
        key is { } sent && await Editor.LoadAsync(context.User, db, cancellationToken) is { } editor
            ? await RequestKeys.FindAsync(db, editor.UserName, sent, cancellationToken)
            : null;

    /// <summary>The answer to a create or update sent again: the settlement as it is now, with its ETag.</summary>
    private static async Task<Results<JsonHttpResult<Feature>, ProblemHttpResult, ValidationProblem>> ReplayAsync(
        HttpContext context, SettlementMapDbContext db, SettlementChange done, ChangeAction action, long? settlementId, CancellationToken cancellationToken)
    {
        if (RequestKeys.Mismatch(done, action, settlementId) is { } mismatch)
        {
            return mismatch;
        }
        var current = await SettlementFeature.LoadAsync(db, done.SettlementId, cancellationToken);
        if (current is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Your change was saved; the settlement was deleted since.",
                detail: $"This request's change (audit row {done.Id}) was saved earlier; settlement {done.SettlementId} has been deleted after it.");
        }
        RequestKeys.MarkReplayed(context.Response);
        if (action == ChangeAction.Create)
        {
            context.Response.Headers.Location = $"/api/settlements/{current.Id}";
        }
        return FeatureResult(context.Response, current);
    }

    private static Results<NoContent, ProblemHttpResult> ReplayedDelete(HttpContext context, SettlementChange done, long? settlementId)
    {
        if (RequestKeys.Mismatch(done, ChangeAction.Delete, settlementId) is { } mismatch)
        {
            return mismatch;
        }
        RequestKeys.MarkReplayed(context.Response);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<List<HistoryEntry>>, ProblemHttpResult, ValidationProblem>> GetHistory(
        string id, HttpContext context, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        if (ParseId(id) is not { } settlementId)
        {
            return BadId(id);
        }
        var rows = await db.SettlementChanges.AsNoTracking()
            .Where(c => c.SettlementId == settlementId)
            .OrderByDescending(c => c.EffectiveAt ?? c.ChangedAt).ThenByDescending(c => c.Id)
            .Select(c => new { c.Id, c.Action, c.ChangedAt, EffectiveAt = c.EffectiveAt ?? c.ChangedAt, c.ChangedBy, c.Changes, c.Note, Restorable = c.AttributesBefore != null, Snapshot = c.AttributesAfter ?? c.AttributesBefore })
            .ToListAsync(cancellationToken);
        var municipalityId = await db.Settlements.Where(s => s.Id == settlementId).Select(s => (int?)s.MunicipalityId).SingleOrDefaultAsync(cancellationToken);
        if (rows.Count == 0 && municipalityId is null)
        {
            return NotFound(settlementId);
        }
        // A deleted settlement is judged by the municipality its last recorded state names.
        municipalityId ??= await MunicipalityOfSnapshotAsync(db, rows.Select(r => r.Snapshot).FirstOrDefault(s => s is not null), cancellationToken);
        var disclosure = await DisclosurePolicies.OfAsync(context);
        return TypedResults.Ok(rows.Select(r =>
        {
            using var changes = JsonDocument.Parse(r.Changes);
            return new HistoryEntry(r.Id, EnumText.ToText(r.Action), r.ChangedAt, r.ChangedBy, Shown(changes.RootElement, disclosure, municipalityId ?? 0),
                changes.RootElement.TryGetProperty("geometry", out _), r.Note, r.Restorable, r.EffectiveAt);
        }).ToList());
    }

    /// <summary>The changed fields this viewer may see in a settlement of <paramref name="municipalityId"/>; the others are left out.</summary>
    private static JsonElement Shown(JsonElement changes, Disclosure disclosure, int municipalityId)
    {
        var shown = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var change in changes.EnumerateObject().Where(c => disclosure.Shows(c.Name, municipalityId)))
        {
            shown[change.Name] = change.Value;
        }
        return JsonSerializer.SerializeToElement(shown);
    }

    private static async Task<int?> MunicipalityOfSnapshotAsync(SettlementMapDbContext db, string? snapshot, CancellationToken cancellationToken)
    {
        if (snapshot is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(snapshot);
        var code = document.RootElement.TryGetProperty("municipality_code", out var value) ? value.GetString() : null;
        return code is null ? null : await db.Municipalities.Where(m => m.Code == code).Select(m => (int?)m.Id).SingleOrDefaultAsync(cancellationToken);
    }

    public static async Task<Results<JsonHttpResult<Feature>, ProblemHttpResult, ValidationProblem>> RestoreSettlement(
        string id, HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ParseId(id) is not { } settlementId)
        {
            return BadId(id);
        }
        var editor = await Editor.LoadAsync(context.User, db, cancellationToken);
        if (editor is not { IsAdministrator: true })
        {
            return Forbidden("Only administrators restore earlier versions.");
        }
        var (request, problem) = await JsonBody.BindAsync<RestoreRequest>(context.Request, 4096, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var source = request?.ChangeId is { } changeId
            ? await db.SettlementChanges.AsNoTracking().SingleOrDefaultAsync(c => c.Id == changeId && c.SettlementId == settlementId, cancellationToken)
            : null;
        if (source is null)
        {
            return Invalid("change_id", Refusals.UnknownChange(), "Nothing to restore.");
        }
        if (source.AttributesBefore is null || source.GeomBefore is null)
        {
            return Invalid("change_id", Refusals.NoEarlierVersion(), "Nothing to restore.");
        }

        var settlement = await db.Settlements.Include(s => s.Municipality).SingleOrDefaultAsync(s => s.Id == settlementId, cancellationToken);
        var now = clock.GetUtcNow();
        using var snapshot = JsonDocument.Parse(source.AttributesBefore);
        var code = snapshot.RootElement.GetProperty("code").GetString()!;
        var municipalityCode = snapshot.RootElement.GetProperty("municipality_code").GetString()!;
        var municipality = await db.Municipalities.SingleAsync(m => m.Code == municipalityCode, cancellationToken);
        SortedDictionary<string, object?>? before = null;
        NetTopologySuite.Geometries.MultiPolygon? geometryBefore = null;
        var deleted = false;
        if (settlement is null)
        {
            // Deleted: it comes back under its old id, unless its code was taken since, now or for a while in between (a
            // code names one settlement through time: the map as of that while would show two under it).
            if (await db.Settlements.AnyAsync(s => s.Code == code, cancellationToken)
                || await db.Database.SqlQuery<long>($"SELECT id AS \"Value\" FROM settlement_versions WHERE code = {code} AND id <> {settlementId}")
                    .AnyAsync(cancellationToken))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The code is taken.",
                    detail: $"Another settlement has the code {code}, or had it after this one was deleted; give that one another code first.",
                    extensions: RefusalMembers.WithMessages("code", SettlementRules.CodeTakenBy(code)));
            }
            settlement = new Settlement { Id = settlementId, Code = code, NameLatn = "", NameCyrl = "", Source = "", Geom = source.GeomBefore };
            db.Settlements.Add(settlement);
            deleted = true;
        }
        else
        {
            if (IfMatch(context.Request) is not { } version)
            {
                return PreconditionRequired();
            }
            if (version != settlement.Version)
            {
                return await StaleAsync(db, context, settlementId, cancellationToken);
            }
            db.Entry(settlement).Property(s => s.Version).OriginalValue = version;
            before = SettlementFields.Snapshot(settlement, settlement.Municipality!.Code);
            geometryBefore = settlement.Geom;
        }
        foreach (var field in SettlementFields.All)
        {
            if (snapshot.RootElement.TryGetProperty(field.Name, out var value) && SettlementFields.TryRead(field, value, out var parsed, out _))
            {
                field.Set(settlement, parsed);
            }
        }
        settlement.Code = code;
        settlement.MunicipalityId = municipality.Id;
        settlement.Geom = source.GeomBefore;
        settlement.UpdatedAt = now;
        settlement.UpdatedBy = editor.UserName;
        if (deleted)
        {
            await MeasureSettlementLinks.RelinkRestoredAsync(db, settlement, editor.UserName, now, cancellationToken);
        }
        db.SettlementChanges.Add(SettlementAudit.Record(ChangeAction.Restore, settlementId, editor.UserName, now,
            before, SettlementFields.Snapshot(settlement, municipality.Code), geometryBefore, settlement.Geom,
            string.Create(CultureInfo.InvariantCulture, $"Restored the version before change {source.Id}.")));
        if (await SaveAsync(db, context, settlementId, now, cancellationToken) is { } conflict)
        {
            return conflict;
        }
        return FeatureResult(context.Response, (await SettlementFeature.LoadAsync(db, settlementId, cancellationToken))!);
    }

    /// <summary>The settlement to change, tracked, after the checks every write shares: id, existence, permission, If-Match.</summary>
    private static async Task<(Settlement? Settlement, Editor? Editor, ProblemHttpResult? Failure)> LoadForWriteAsync(
        string id, HttpContext context, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        if (ParseId(id) is not { } settlementId)
        {
            var invalid = Refusals.InvalidId(id);
            return (null, null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The settlement id is invalid.",
                detail: invalid.Message, extensions: RefusalMembers.WithMessages("id", invalid)));
        }
        var editor = await Editor.LoadAsync(context.User, db, cancellationToken);
        if (editor is null)
        {
            return (null, null, Forbidden("This account cannot edit."));
        }
        var settlement = await db.Settlements.Include(s => s.Municipality).SingleOrDefaultAsync(s => s.Id == settlementId, cancellationToken);
        if (settlement is null)
        {
            return (null, null, NotFound(settlementId));
        }
        if (!editor.MayEdit(settlement.MunicipalityId))
        {
            return (null, null, Forbidden($"{settlement.NameLatn} is in {settlement.Municipality!.NameLatn}, which is not one of your municipalities."));
        }
        if (IfMatch(context.Request) is not { } version)
        {
            return (null, null, PreconditionRequired());
        }
        if (version != settlement.Version)
        {
            return (null, null, await StaleAsync(db, context, settlementId, cancellationToken));
        }
        // The UPDATE/DELETE then also checks xmin, so an edit that lands between our read and our write is caught too.
        db.Entry(settlement).Property(s => s.Version).OriginalValue = version;
        return (settlement, editor, null);
    }

    /// <summary>
    /// Saves; a concurrent write between our read and our save becomes a 412, a code another
    /// request took meanwhile a 409, with nothing written.
    /// </summary>
    /// <summary>Saves the edit and its audit row in one transaction, the new version dated <paramref name="at"/> as the audit row is.</summary>
    private static async Task<ProblemHttpResult?> SaveAsync(SettlementMapDbContext db, HttpContext context, long settlementId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await ChangeTime.SetAsync(db, at, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return await StaleAsync(db, context, settlementId, cancellationToken);
        }
        catch (DbUpdateException e) when (RequestKeys.IsTaken(e))
        {
            // Two copies of one request at once: the other made the change; the caller answers with it.
            db.ChangeTracker.Clear();
            return CopyMadeTheChange();
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { ConstraintName: "ck_settlement_versions_order" })
        {
            // A change dated before the current version, which another edit began between our check and our write.
            db.ChangeTracker.Clear();
            return await BeforeCurrentVersionAsync(db, settlementId, at, cancellationToken)
                ?? ValidFromRefused(Refusals.BeforeCurrentVersion(SettlementEdit.ValidFromMember, at));
        }
        catch (DbUpdateException e) when (IsCodeTaken(e))
        {
            var code = e.Entries.Select(x => x.Entity).OfType<Settlement>().Select(x => x.Code).FirstOrDefault() ?? "";
            db.ChangeTracker.Clear();
            return CodeConflict(SettlementRules.CodeTakenBy(code));
        }
    }

    /// <summary>The database's unique index on settlements.code refused the write.</summary>
    private static bool IsCodeTaken(DbUpdateException e) =>
        e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } unique
        && unique.ConstraintName == "IX_settlements_code";

    /// <summary>A settlement body is a GeoJSON Feature: its validation problems name a property by its own name.</summary>
    private static string FieldAt(string jsonPath) =>
        jsonPath.StartsWith("properties.", StringComparison.Ordinal) ? jsonPath["properties.".Length..] : jsonPath;

    /// <summary>409 problem+json naming code, in the shape of a validation problem (errors, rules and error_codes by field).</summary>
    private static ProblemHttpResult CodeConflict(RuleError error) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The code is taken.", detail: error.Message,
            extensions: RefusalMembers.WithMessages("code", error));

    /// <summary>400 problem+json for one field's refusal, with its rule and code.</summary>
    private static ValidationProblem Invalid(string field, RuleError error, string title) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error.Message] }, title: title,
            extensions: RefusalMembers.Of(new Dictionary<string, List<RuleError>> { [field] = [error] }));

    private static async Task<string> NextCodeAsync(SettlementMapDbContext db, Municipality municipality, CancellationToken cancellationToken)
    {
        var prefix = municipality.Code.ToUpperInvariant() + "-";
        // Every code history has given too (a deleted settlement's among them): a code names one settlement through
        // time, so the map as of a past day never shows two under one code, and a deleted one can be restored.
        // LIKE's wildcards and escape in the prefix matched as themselves (the index on the versions' codes is text_pattern_ops).
        var pattern = prefix.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var taken = await db.Database.SqlQuery<string>(
            $"SELECT code AS \"Value\" FROM settlements WHERE code LIKE {pattern} UNION SELECT code FROM settlement_versions WHERE code LIKE {pattern}")
            .ToListAsync(cancellationToken);
        var next = taken.Select(c => int.TryParse(c.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max() + 1;
        return prefix + next.ToString("000", CultureInfo.InvariantCulture);
    }

    /// <summary>The settlement as GeoJSON (GeoJSON4STJ, not the default JSON options) with its ETag.</summary>
    private static JsonHttpResult<Feature> FeatureResult(HttpResponse response, Settlement settlement, int statusCode = StatusCodes.Status200OK)
    {
        SettlementFeature.SetETag(response, settlement);
        return TypedResults.Json(SettlementFeature.ToFeature(settlement), GeoJson.ApiOptions, GeoJsonFeaturesResult.MediaType, statusCode);
    }

    /// <summary>412 with the current version (ETag) and the current feature, so the page can show both sides.</summary>
    private static async Task<ProblemHttpResult> StaleAsync(SettlementMapDbContext db, HttpContext context, long settlementId, CancellationToken cancellationToken)
    {
        var current = await SettlementFeature.LoadAsync(db, settlementId, cancellationToken);
        if (current is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The settlement was deleted meanwhile.",
                detail: "Someone deleted it after you read it.", extensions: new Dictionary<string, object?>([RefusalMembers.Whole(Refusals.DeletedMeanwhile)]));
        }
        SettlementFeature.SetETag(context.Response, current);
        var feature = JsonSerializer.SerializeToElement(SettlementFeature.ToFeature(current), GeoJson.ApiOptions);
        var yours = IfMatch(context.Request);
        return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Someone changed this settlement after you read it.",
            detail: $"Your edit was based on version {yours}; the current version is {current.Version}. Nothing was saved.",
            extensions: new Dictionary<string, object?>
            {
                ["current_version"] = current.Version.ToString(CultureInfo.InvariantCulture),
                ["current"] = feature,
                [RefusalMembers.ErrorCode] = RefusalMembers.Whole(Refusals.Stale, ("your_version", yours), ("current_version", current.Version)).Value,
            });
    }

    private static uint? IfMatch(HttpRequest request) => IfMatchHeader.Version(request);

    private static ProblemHttpResult PreconditionRequired() =>
        TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match is required.",
            detail: "Send the ETag you read (GET /api/settlements/{id}) in If-Match, so no one's edit is overwritten unseen.",
            extensions: new Dictionary<string, object?>([RefusalMembers.Whole(Refusals.IfMatchRequired)]));

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed.", detail: detail);

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Settlement not found.", detail: $"No settlement has id {id}.");

    private static ValidationProblem BadId(string id) => Invalid("id", Refusals.InvalidId(id), "The settlement id is invalid.");

    private static long? ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
