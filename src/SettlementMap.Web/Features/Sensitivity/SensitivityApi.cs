using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Sensitivity;

/// <summary>One attribute's level as the administration page shows it.</summary>
public sealed record AttributeLevelView(string Name, string Group, Label Label, string Level, string DefaultLevel, bool Restrictable);

/// <summary>One level with its label.</summary>
public sealed record LevelView(string Value, Label Label);

/// <summary>The small-number generalisation of the public view.</summary>
public sealed record GeneralisationView(bool Enabled, int Threshold, int RadiusM);

/// <summary>One audited change of the settings.</summary>
public sealed record SensitivityChangeView(DateTimeOffset ChangedAt, string ChangedBy, string Subject, JsonElement? Before, JsonElement? After);

/// <summary>Who sees what, as administrators see and change it.</summary>
public sealed record SensitivitySettings(
    IReadOnlyList<AttributeLevelView> Attributes, IReadOnlyList<LevelView> Levels, GeneralisationView Generalisation, IReadOnlyList<SensitivityChangeView> Changes);

public sealed record LevelChange(string? Level);

public sealed record GeneralisationChange(bool? Enabled, int? Threshold, int? RadiusM);

/// <summary>
/// Administrators set who may see each settlement attribute and how the public view generalises small
/// settlements; every change is audited (sensitivity_changes) in the same transaction, and every output
/// follows at the next request (the settings' versions are part of every ETag: DisclosurePolicies).
/// </summary>
public static class SensitivityApi
{
    private const int ChangesShown = 100;

    public static IEndpointRouteBuilder MapSensitivityApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sensitivity").WithTags("Who sees what")
            .RequireAuthorization(Authentication.AdministratorPolicy)
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies);
        group.MapGet("/", GetSensitivity).WithName(nameof(GetSensitivity))
            .WithSummary("Each settlement attribute's level (public, signed_in, administrators), the public view's generalisation and the latest changes");
        group.MapPut("/attributes/{attribute}", SetAttributeLevel).WithName(nameof(SetAttributeLevel))
            .WithSummary("Sets who may see one attribute; every output follows at once");
        group.MapPut("/generalisation", SetGeneralisation).WithName(nameof(SetGeneralisation))
            .WithSummary("Sets the public view's generalisation of small settlements (on/off, threshold of inhabitants, radius in metres)");
        return app;
    }

    public static async Task<Ok<SensitivitySettings>> GetSensitivity(SettlementMapDbContext db, DisclosurePolicies policies, CancellationToken cancellationToken)
    {
        var policy = await policies.GetAsync(cancellationToken);
        var changes = await db.SensitivityChanges.AsNoTracking().OrderByDescending(c => c.Id).Take(ChangesShown)
            .Select(c => new { c.ChangedAt, c.ChangedBy, c.Subject, c.Before, c.After }).ToListAsync(cancellationToken);
        return TypedResults.Ok(new SensitivitySettings(
            [.. SettlementSchema.Attributes.Where(a => !a.GeneralisedViewOnly).Select(a => new AttributeLevelView(
                a.Name, a.Group.Name, a.Label, policy.LevelOf(a).ToText(), (a.Restrictable ? a.Sensitivity : Clearance.Public).ToText(), a.Restrictable))],
            [.. Clearances.All.Select(l => new LevelView(l.ToText(), l.LabelOf()))],
            new GeneralisationView(policy.Generalisation.Enabled, policy.Generalisation.Threshold, policy.Generalisation.RadiusM),
            [.. changes.Select(c => new SensitivityChangeView(c.ChangedAt, c.ChangedBy, c.Subject, Json(c.Before), Json(c.After)))]));
    }

    public static async Task<Results<Ok<AttributeLevelView>, ValidationProblem, ProblemHttpResult>> SetAttributeLevel(
        string attribute, HttpContext context, SettlementMapDbContext db, DisclosurePolicies policies, TimeProvider clock, CancellationToken cancellationToken)
    {
        var name = attribute;
        if (SettlementSchema.Find(name) is not { GeneralisedViewOnly: false } definition)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such attribute.",
                detail: $"No settlement attribute is named '{InputText.Printable(name)}'.", extensions: new Dictionary<string, object?> { ["parameter"] = "attribute" });
        }
        var (request, problem) = await JsonBody.BindAsync<LevelChange>(context.Request, 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (LevelWrites.Read(request?.Level, out var level) is { } refused)
        {
            return refused;
        }
        if (!definition.Restrictable && level != Clearance.Public)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["level"] = [$"{definition.Name} identifies the settlement and is always public."],
            }, title: "This attribute cannot be restricted.");
        }
        var before = (await policies.GetAsync(cancellationToken)).LevelOf(definition);
        await LevelWrites.SetAsync(db, definition.Name, "attribute:" + definition.Name, before, level, context.User.Identity?.Name ?? "unknown", clock.GetUtcNow(),
            cancellationToken);
        return TypedResults.Ok(new AttributeLevelView(definition.Name, definition.Group.Name, definition.Label, level.ToText(), definition.Sensitivity.ToText(), definition.Restrictable));
    }

    public static async Task<Results<Ok<GeneralisationView>, ValidationProblem, ProblemHttpResult>> SetGeneralisation(
        HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.BindAsync<GeneralisationChange>(context.Request, 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, string[]>();
        if (request?.Enabled is null)
        {
            errors["enabled"] = ["enabled must be true or false."];
        }
        if (request?.Threshold is not (>= Generalisation.MinThreshold and <= Generalisation.MaxThreshold))
        {
            errors["threshold"] = [$"threshold must be a whole number of inhabitants from {Generalisation.MinThreshold} to {Generalisation.MaxThreshold}."];
        }
        if (request?.RadiusM is not (>= Generalisation.MinRadiusM and <= Generalisation.MaxRadiusM))
        {
            errors["radius_m"] = [$"radius_m must be a whole number of metres from {Generalisation.MinRadiusM} to {Generalisation.MaxRadiusM}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The generalisation settings are invalid.");
        }
        var settings = await db.DisclosureSettings.SingleAsync(d => d.Id == 1, cancellationToken);
        var before = new GeneralisationView(settings.GeneraliseSmall, settings.Threshold, settings.RadiusM);
        var after = new GeneralisationView(request!.Enabled!.Value, request.Threshold!.Value, request.RadiusM!.Value);
        if (before != after)
        {
            var by = context.User.Identity?.Name ?? "unknown";
            var now = clock.GetUtcNow();
            (settings.GeneraliseSmall, settings.Threshold, settings.RadiusM, settings.ChangedAt, settings.ChangedBy) =
                (after.Enabled, after.Threshold, after.RadiusM, now, by);
            db.SensitivityChanges.Add(new SensitivityChange
            {
                ChangedAt = now, ChangedBy = by, Subject = "generalisation",
                Before = JsonSerializer.Serialize(before, SnakeCase), After = JsonSerializer.Serialize(after, SnakeCase),
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        return TypedResults.Ok(after);
    }

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static JsonElement? Json(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();
}
