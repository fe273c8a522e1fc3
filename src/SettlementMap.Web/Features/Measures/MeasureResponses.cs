using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Web.Features.Measures;

/// <summary>The answers plans and measures share: refusals by field, permissions, versions.</summary>
public static class MeasureResponses
{
    /// <summary>400 problem+json naming every refused field, with rule keys and error_codes (a page words them in its language).</summary>
    public static ValidationProblem Invalid(Dictionary<string, List<RuleError>> errors, string title)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return TypedResults.ValidationProblem(
            errors.ToDictionary(e => e.Key, e => e.Value.Select(r => r.Message).ToArray(), StringComparer.Ordinal), title: title,
            extensions: RefusalMembers.Of(errors));
    }

    /// <summary>400 naming the id of the path, with its rule and code, as a settlement's bad id is.</summary>
    public static ProblemHttpResult BadId(string id)
    {
        var refusal = Refusals.InvalidId(SettlementRules.Printable(Http.Shown.Value(id)));
        return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The id is invalid.", detail: refusal.Message,
            extensions: RefusalMembers.WithMessages("id", refusal));
    }

    public static int? ParseId(string id) =>
        int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed.", detail: detail);

    public static ProblemHttpResult NotFound(string what, int id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found.",
            detail: string.Create(CultureInfo.InvariantCulture, $"No {what.ToLowerInvariant()} has id {id}."));

    public static ProblemHttpResult PreconditionRequired() =>
        TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match is required.",
            detail: "Send the ETag you read in If-Match, so no one's change is overwritten unseen.",
            extensions: new Dictionary<string, object?>([RefusalMembers.Whole(Refusals.IfMatchRequired)]));

    /// <summary>412 with the current version and the current record (as the editor may see it), so a page can show both sides.</summary>
    public static ProblemHttpResult Stale(HttpContext context, object current, uint currentVersion, string what)
    {
        ArgumentNullException.ThrowIfNull(context);
        SetETag(context, currentVersion);
        var yours = Http.IfMatchHeader.Version(context.Request);
        return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: $"Someone changed this {what} after you read it.",
            detail: $"Your change was based on version {yours}; the current version is {currentVersion}. Nothing was saved.",
            extensions: new Dictionary<string, object?>
            {
                ["current_version"] = MeasureViews.Version(currentVersion),
                ["current"] = current,
                [RefusalMembers.ErrorCode] = RefusalMembers.Whole(Refusals.Stale, ("your_version", yours), ("current_version", currentVersion)).Value,
            });
    }

    /// <summary>The row version as the ETag an editor sends back in If-Match; what a signed-in viewer got is kept by no shared cache.</summary>
    public static void SetETag(HttpContext context, uint version)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.ETag = $"\"{MeasureViews.Version(version)}\"";
        context.Response.Headers.CacheControl = context.User.Identity?.IsAuthenticated == true ? "private, no-store" : "no-cache";
        context.Response.Headers.Vary = "Authorization, Cookie";
    }
}
