using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Editing;

/// <summary>
/// Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header) on the writes a page sends again after a
/// connection is lost: create, update and delete a settlement. The client makes one UUID a change; the audit row
/// of the change keeps it (settlement_changes.request_key, unique per account, written in the same transaction as
/// the change), so the same request sent again is answered, not applied again: no second settlement, no second
/// audit row, and no 412 for an edit whose own first copy is what changed the version. Without the header a
/// write behaves as before.
/// </summary>
public static class RequestKeys
{
    public const string Header = "Idempotency-Key";

    /// <summary>On an answer to a request sent again: the change was made by the first one.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    private const string IndexName = "IX_settlement_changes_changed_by_request_key";

    /// <summary>The request's key: null when there is none; a 400 naming the header when it is not one UUID.</summary>
    public static (Guid? Key, ProblemHttpResult? Problem) Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Headers[Header];
        if (values.Count == 0)
        {
            return (null, null);
        }
        // A UUID is 36 characters (38 in braces): anything longer is not one, and is not echoed whole.
        if (values.Count == 1 && values[0] is { Length: <= 38 } text && Guid.TryParse(text, out var key))
        {
            return (key, null);
        }
        return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The Idempotency-Key header is invalid.",
            detail: $"{Header} must be one UUID made by the client for this change, e.g. 3f2b8c1e-5d4a-4b6e-9c7d-2a1f0e9b8c7d.",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [Header] = [$"{Header} must be one UUID."] } }));
    }

    /// <summary>The change this account already made with <paramref name="key"/>, if any.</summary>
    public static Task<SettlementChange?> FindAsync(SettlementMapDbContext db, string userName, Guid key, CancellationToken cancellationToken) =>
        db.SettlementChanges.AsNoTracking().SingleOrDefaultAsync(c => c.ChangedBy == userName && c.RequestKey == key, cancellationToken);

    /// <summary>
    /// The earlier change is another request's (another action, or another settlement): 422, as the draft says for a
    /// key reused with another request. Null when it is this request's.
    /// </summary>
    public static ProblemHttpResult? Mismatch(SettlementChange done, ChangeAction action, long? settlementId)
    {
        ArgumentNullException.ThrowIfNull(done);
        if (done.Action == action && (settlementId is null || done.SettlementId == settlementId))
        {
            return null;
        }
        return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "This Idempotency-Key was used for another change.",
            detail: $"The key already made a change of another kind or to another settlement ({done.Action.ToString().ToLowerInvariant()} of settlement {done.SettlementId}); make a new key for each change.",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [Header] = ["The key was used for another change."] } });
    }

    /// <summary>
    /// Holds this account's key until the transaction ends (an advisory lock on a hash of both): a copy of the request
    /// waits here until the first has committed or rolled back. No session state is left (xact lock).
    /// </summary>
    public static async Task LockAsync(SettlementMapDbContext db, string userName, Guid key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var name = userName + ":" + key.ToString("D");
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({name}, 0))", cancellationToken);
    }

    /// <summary>Marks the response as the answer to a request sent again.</summary>
    public static void MarkReplayed(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers[ReplayedHeader] = "true";
    }

    /// <summary>The unique index refused a second change with the same key (two copies of a request at once).</summary>
    public static bool IsTaken(DbUpdateException e) =>
        e?.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: IndexName };
}
