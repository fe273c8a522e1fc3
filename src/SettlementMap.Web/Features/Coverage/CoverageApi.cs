using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Geo;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Coverage;

public sealed record CoverageKindInfo(string Key, string Kind, string? ProgrammeCode, string? NameEn, string? NameSrLatn, string? NameSrCyrl);

public sealed record CoverageFigure(
    string Kind, string? DistrictCode, int SettlementsCovered, int SettlementsNotCovered, long PopulationCovered, long PopulationNotCovered,
    int MunicipalitiesCovered, int MunicipalitiesNotCovered);

public sealed record CoverageFigures(DateOnly AsOf, IReadOnlyList<CoverageKindInfo> Kinds, IReadOnlyList<CoverageFigure> National, IReadOnlyList<CoverageFigure> Districts);

public sealed record CoverageRecordDto(
    long Id, string MunicipalityCode, string Kind, string? ProgrammeCode, int? Count, DateOnly? ValidFrom, DateOnly? ValidTo, string Source, string? Note);

public sealed record CoverageInput(
    string? MunicipalityCode, string? Kind, string? ProgrammeCode, int? Count, DateOnly? ValidFrom, DateOnly? ValidTo, string? Source, string? Note);

public sealed record ProgrammeInput(string? Code, string? NameEn, string? NameSrLatn, string? Funders, DateOnly? StartedOn, DateOnly? EndedOn);

/// <summary>
/// Who covers each municipality: the overlay layer, the figures (computed in SQL, "as of" a day),
/// and the records themselves, which administrators edit with every change audited.
/// </summary>
public static class CoverageApi
{
    private static readonly string[] LayerParameters = ["as_of", "zoom"];
    private static readonly string[] FigureParameters = ["as_of"];
    private static readonly string[] RecordParameters = ["municipality", "as_of"];

    public static IEndpointRouteBuilder MapCoverageApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/layers/coverage", GetCoverageLayer).WithTags("Layers").WithName(nameof(GetCoverageLayer))
            .WithSummary("Municipalities with their coverage on a day (as_of, default today) and the coordinator / health-mediator gap, as RFC 7946 GeoJSON");
        var coverage = app.MapGroup("/api/coverage").WithTags("Coverage");
        coverage.MapGet("/figures", GetCoverageFigures).WithName(nameof(GetCoverageFigures))
            .WithSummary("For each kind: settlements, estimated population and municipalities covered and not, nationally and per district, on a day");
        coverage.MapGet("/gaps", CoverageGaps.GetCoverageGaps).WithName(nameof(CoverageGaps.GetCoverageGaps))
            .WithSummary("The municipalities with settlements lacking a kind (or the gap) on a day: names, district, settlements, estimated population; JSON or CSV (lang names the headers' language)");
        coverage.MapGet("/", ListCoverage).WithName(nameof(ListCoverage))
            .WithSummary("Coverage records, optionally of one municipality and active on a day");
        var admin = app.MapGroup("/api").WithTags("Coverage")
            .RequireAuthorization(Authentication.AdministratorPolicy)
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies);
        admin.MapPost("/coverage", CreateCoverage).WithName(nameof(CreateCoverage)).WithSummary("Administrators: a new coverage record (audited)");
        admin.MapPut("/coverage/{id}", ReplaceCoverage).WithName(nameof(ReplaceCoverage)).WithSummary("Administrators: replaces a coverage record (audited)");
        admin.MapDelete("/coverage/{id}", DeleteCoverage).WithName(nameof(DeleteCoverage)).WithSummary("Administrators: deletes a coverage record (audited)");
        admin.MapPost("/programmes", CreateProgramme).WithName(nameof(CreateProgramme)).WithSummary("Administrators: a new programme whose membership can then be recorded");
        return app;
    }

    private static readonly string[] CoverageTables = ["coverage", "municipalities", "programmes", "settlements"];

    public static async Task<Results<GeoJsonFeaturesResult, ValidationProblem, StatusCodeHttpResult>> GetCoverageLayer(
        HttpRequest request, ReadRoute route, TimeProvider clock, [FromQuery(Name = "as_of")] string? asOf, [FromQuery] string? zoom,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, LayerParameters);
        var named = query.Date("as_of", asOf);
        var day = named ?? CoverageQueries.Today(clock);
        var z = query.WholeNumber("zoom", zoom, 0, Simplification.MaxZoom);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The coverage layer request has invalid parameters.");
        }
        // "as_of" defaults to today: the day is part of the ETag, so tomorrow's answer is not taken for today's.
        var etag = await LayerETags.ETagAsync(request, CoverageTables, cancellationToken, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        if (LayerETags.IsNotModified(request.HttpContext, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        // A named day counts the settlements of then, as the figures and gaps do; without one, today's table.
        var (sql, parameters) = CoverageSql.Layer(day, z, await DisclosurePolicies.OfAsync(request.HttpContext), CoverageSql.SettlementsOf(named));
        return new GeoJsonFeaturesResult(route.DataSource, sql, parameters);
    }

    public static async Task<Results<Ok<CoverageFigures>, ValidationProblem>> GetCoverageFigures(
        HttpRequest request, ReadRoute route, SettlementMapDbContext db, TimeProvider clock, [FromQuery(Name = "as_of")] string? asOf,
        CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, FigureParameters);
        var named = query.Date("as_of", asOf);
        var day = named ?? CoverageQueries.Today(clock);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The figures request has invalid parameters.");
        }
        var kinds = await CoverageQueries.KindsAsync(db, cancellationToken);
        // A named day counts the settlements of then; without one, today's table (no history read).
        var (sql, parameters) = CoverageSql.Figures(day, [.. kinds.Select(k => k.Key)], await DisclosurePolicies.OfAsync(request.HttpContext),
            CoverageSql.SettlementsOf(named));
        await using var command = route.DataSource.CreateCommand(sql, parameters);
        var rows = new List<CoverageFigure>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new CoverageFigure(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                    reader.GetInt64(4), reader.GetInt64(5), reader.GetInt32(6), reader.GetInt32(7)));
            }
        }
        return TypedResults.Ok(new CoverageFigures(day, kinds, [.. rows.Where(r => r.DistrictCode is null)], [.. rows.Where(r => r.DistrictCode is not null)]));
    }

    public static async Task<Results<Ok<List<CoverageRecordDto>>, ValidationProblem>> ListCoverage(
        HttpRequest request, SettlementMapDbContext db, [FromQuery] string? municipality, [FromQuery(Name = "as_of")] string? asOf, CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        query.RejectUnknown(request.Query, RecordParameters);
        var day = query.Date("as_of", asOf);
        var code = query.Code("municipality", municipality);
        await PlaceCodes.CheckExistAsync(query, db, code, null, cancellationToken);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "The coverage request has invalid parameters.");
        }
        var records = db.Coverage.AsNoTracking();
        if (code is not null)
        {
            records = records.Where(c => c.Municipality!.Code == code);
        }
        if (day is { } d)
        {
            records = records.ActiveOn(d);
        }
        var list = await records.OrderBy(c => c.Municipality!.Code).ThenBy(c => c.Kind).ThenBy(c => c.ValidFrom).ThenBy(c => c.Id)
            .Select(c => new { c, MunicipalityCode = c.Municipality!.Code, ProgrammeCode = c.Programme == null ? null : c.Programme.Code })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(list.Select(r => ToDto(r.c, r.MunicipalityCode, r.ProgrammeCode)).ToList());
    }

    public static async Task<Results<Created<CoverageRecordDto>, ProblemHttpResult, ValidationProblem>> CreateCoverage(
        HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (input, problem) = await JsonBody.BindAsync<CoverageInput>(context.Request, 16 * 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var record = new CoverageRecord { Source = "" };
        var errors = await ApplyAsync(db, input!, record, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The coverage record is invalid; nothing was saved.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Coverage.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        db.CoverageChanges.Add(Audit(ChangeAction.Create, record, null, await SnapshotAsync(db, record, cancellationToken), context, clock));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var dto = await DtoAsync(db, record.Id, cancellationToken);
        return TypedResults.Created($"/api/coverage/{record.Id}", dto);
    }

    public static async Task<Results<Ok<CoverageRecordDto>, ProblemHttpResult, ValidationProblem>> ReplaceCoverage(
        string id, HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var recordId)
            || await db.Coverage.SingleOrDefaultAsync(c => c.Id == recordId, cancellationToken) is not { } record)
        {
            return NotFound(id);
        }
        var (input, problem) = await JsonBody.BindAsync<CoverageInput>(context.Request, 16 * 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var before = await SnapshotAsync(db, record, cancellationToken);
        var errors = await ApplyAsync(db, input!, record, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The coverage record is invalid; nothing was saved.");
        }
        db.CoverageChanges.Add(Audit(ChangeAction.Update, record, before, await SnapshotAsync(db, record, cancellationToken), context, clock));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await DtoAsync(db, record.Id, cancellationToken));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteCoverage(
        string id, HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var recordId)
            || await db.Coverage.SingleOrDefaultAsync(c => c.Id == recordId, cancellationToken) is not { } record)
        {
            return NotFound(id);
        }
        db.CoverageChanges.Add(Audit(ChangeAction.Delete, record, await SnapshotAsync(db, record, cancellationToken), null, context, clock));
        db.Coverage.Remove(record);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<CoverageKindInfo>, ProblemHttpResult, ValidationProblem>> CreateProgramme(
        HttpContext context, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        var (input, problem) = await JsonBody.BindAsync<ProgrammeInput>(context.Request, 16 * 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, string[]>();
        var code = input!.Code?.Trim() ?? "";
        if (!System.Text.RegularExpressions.Regex.IsMatch(code, "^[a-z0-9_]{2,40}$"))
        {
            errors["code"] = ["code is 2 to 40 characters: a–z, digits and '_', e.g. 'we_are_here_together'."];
        }
        else if (await db.Programmes.AnyAsync(p => p.Code == code, cancellationToken))
        {
            errors["code"] = [$"A programme with the code '{code}' exists already."];
        }
        if (string.IsNullOrWhiteSpace(input.NameEn) || input.NameEn.Length > 200)
        {
            errors["name_en"] = ["Give the English name (at most 200 characters)."];
        }
        if (input.EndedOn < input.StartedOn)
        {
            errors["ended_on"] = ["ended_on is before started_on."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The programme is invalid; nothing was saved.");
        }
        var nameSr = string.IsNullOrWhiteSpace(input.NameSrLatn) ? input.NameEn!.Trim() : input.NameSrLatn.Trim();
        var programme = new Programme
        {
            Code = code,
            NameEn = input.NameEn!.Trim(),
            NameSrLatn = nameSr,
            NameSrCyrl = Text.SerbianScript.ToCyrillic(nameSr),
            Funders = input.Funders?.Trim() ?? "",
            StartedOn = input.StartedOn,
            EndedOn = input.EndedOn,
        };
        db.Programmes.Add(programme);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created((string?)null,
            new CoverageKindInfo("programme:" + code, "programme", code, programme.NameEn, programme.NameSrLatn, programme.NameSrCyrl));
    }

    private static async Task<Dictionary<string, string[]>> ApplyAsync(SettlementMapDbContext db, CoverageInput input, CoverageRecord record, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var municipality = input.MunicipalityCode is null ? null : await db.Municipalities.SingleOrDefaultAsync(m => m.Code == input.MunicipalityCode, cancellationToken);
        if (municipality is null)
        {
            errors["municipality_code"] = [$"No municipality has the code '{input.MunicipalityCode}'."];
        }
        if (!EnumText.TryParse<CoverageKind>(input.Kind, out var kind))
        {
            errors["kind"] = [$"kind must be one of {string.Join(", ", EnumText.Values<CoverageKind>())}."];
        }
        Programme? programme = null;
        if (kind == CoverageKind.Programme && !errors.ContainsKey("kind"))
        {
            programme = input.ProgrammeCode is null ? null : await db.Programmes.SingleOrDefaultAsync(p => p.Code == input.ProgrammeCode, cancellationToken);
            if (programme is null)
            {
                errors["programme_code"] = [$"Name a known programme (programme_code); '{input.ProgrammeCode}' is not one."];
            }
        }
        else if (input.ProgrammeCode is not null)
        {
            errors["programme_code"] = ["programme_code is only for kind 'programme'."];
        }
        if (input.Count is < 0 or > 10_000)
        {
            errors["count"] = ["count must be from 0 to 10000, or left out when not known."];
        }
        if (input.ValidTo < input.ValidFrom)
        {
            errors["valid_to"] = ["valid_to (the last day) is before valid_from."];
        }
        if (string.IsNullOrWhiteSpace(input.Source) || input.Source.Length > 200)
        {
            errors["source"] = ["Say where the information comes from (at most 200 characters)."];
        }
        if (input.Note?.Length > 500)
        {
            errors["note"] = ["note is longer than 500 characters."];
        }
        if (errors.Count > 0)
        {
            return errors;
        }
        record.MunicipalityId = municipality!.Id;
        record.Kind = kind;
        record.ProgrammeId = programme?.Id;
        record.Count = input.Count;
        record.ValidFrom = input.ValidFrom;
        record.ValidTo = input.ValidTo;
        record.Source = input.Source!.Trim();
        record.Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        return errors;
    }

    private static async Task<string> SnapshotAsync(SettlementMapDbContext db, CoverageRecord record, CancellationToken cancellationToken)
    {
        var municipality = await db.Municipalities.Where(m => m.Id == record.MunicipalityId).Select(m => m.Code).SingleAsync(cancellationToken);
        var programme = record.ProgrammeId is { } p ? await db.Programmes.Where(x => x.Id == p).Select(x => x.Code).SingleAsync(cancellationToken) : null;
        return JsonSerializer.Serialize(ToDto(record, municipality, programme), SnakeCase);
    }

    private static CoverageChange Audit(ChangeAction action, CoverageRecord record, string? before, string? after, HttpContext context, TimeProvider clock) => new()
    {
        CoverageId = record.Id,
        MunicipalityId = record.MunicipalityId,
        Action = action,
        ChangedAt = clock.GetUtcNow(),
        ChangedBy = context.User.Identity?.Name ?? "unknown",
        Before = before,
        After = after,
    };

    private static async Task<CoverageRecordDto> DtoAsync(SettlementMapDbContext db, long id, CancellationToken cancellationToken)
    {
        var r = await db.Coverage.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c, MunicipalityCode = c.Municipality!.Code, ProgrammeCode = c.Programme == null ? null : c.Programme.Code })
            .SingleAsync(cancellationToken);
        return ToDto(r.c, r.MunicipalityCode, r.ProgrammeCode);
    }

    private static CoverageRecordDto ToDto(CoverageRecord c, string municipalityCode, string? programmeCode) =>
        new(c.Id, municipalityCode, EnumText.ToText(c.Kind), programmeCode, c.Count, c.ValidFrom, c.ValidTo, c.Source, c.Note);

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Coverage record not found.", detail: $"No coverage record has id '{id}'.");

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
