using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Import.Mapping;
using SettlementMap.Web.Features.Import.Readers;
using SettlementMap.Web.Geo.Crs;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Import;

/// <summary>
/// Upload a file (the request body itself, streamed to disk under a size limit, in the directory
/// every instance shares: ImportUploads), get the dry
/// run's report, then apply it. Administrators import anywhere; coordinators only into their
/// municipalities (rows elsewhere are reported, never written).
/// </summary>
public static class ImportApi
{
    public static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // The report's lists are get-only: fill them when reading a stored report back.
        PreferredObjectCreationHandling = System.Text.Json.Serialization.JsonObjectCreationHandling.Populate,
    };

    private static readonly string[] Encodings = ["utf-8", "windows-1250", "windows-1251"];

    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder app)
    {
        var imports = app.MapGroup("/api/imports").WithTags("Import")
            .RequireAuthorization(Authentication.EditorPolicy)
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies);
        imports.MapPost("/", UploadImport).WithName(nameof(UploadImport))
            .WithSummary("Upload a file (the body) and dry-run its import: nothing is written; the report lists every problem by row")
            .WithDescription("Query: file_name (required: its extension picks the format: .geojson, .csv, .zip (shapefile), .gpkg, .xlsx), " +
                "crs, layer, encoding, sheet, wkt_column, lon_column, lat_column, mapping (a saved mapping's name), repair (true: make invalid outlines valid), " +
                "describes (the date the data describes, yyyy-MM-dd: each change is dated then; a row for a settlement whose current version is newer goes into its history).")
            .DescribesQuery(OptionText);
        imports.MapPost("/{id:guid}/dry-run", DryRunAgain).WithName(nameof(DryRunAgain))
            .WithSummary("Dry-run the uploaded file again with other options (CRS, mapping, repair…)")
            .DescribesQuery(OptionText);
        imports.MapPost("/{id:guid}/apply", ApplyImport).WithName(nameof(ApplyImport))
            .WithSummary("Apply the import in one transaction: all rows or nothing, or only the good rows with skip_bad_rows=true");
        imports.MapGet("/{id:guid}", GetImportReport).WithName(nameof(GetImportReport))
            .WithSummary("The latest report of an import (JSON)");
        imports.MapGet("/{id:guid}/report.html", GetImportReportPage).WithName(nameof(GetImportReportPage))
            .WithSummary("The latest report of an import as a readable page");

        var mappings = app.MapGroup("/api/import-mappings").WithTags("Import")
            .RequireAuthorization(Authentication.EditorPolicy)
            .AddEndpointFilter(Authentication.RequireAntiforgeryForCookies);
        mappings.MapGet("/", ListMappings).WithName(nameof(ListMappings)).WithSummary("Saved column mappings");
        mappings.MapGet("/{name}", GetMapping).WithName(nameof(GetMapping)).WithSummary("One saved column mapping");
        mappings.MapPut("/{name}", SaveMapping).WithName(nameof(SaveMapping))
            .WithSummary("Save a column mapping {\"columns\": {column: target}} under a name; an existing one only by its author or an administrator");
        mappings.MapDelete("/{name}", DeleteMapping).WithName(nameof(DeleteMapping))
            .WithSummary("Delete a saved column mapping: its author or an administrator");
        return app;
    }

    /// <summary>The largest upload, in bytes (Import:MaxUploadMegabytes, default 200).</summary>
    public static long MaxUploadBytes(IConfiguration configuration) => configuration.GetValue("Import:MaxUploadMegabytes", 200L) * 1024 * 1024;

    /// <summary>A mapping names at most a few hundred columns: 64 KiB is ample.</summary>
    private const int MappingBodyLimitBytes = 64 * 1024;

    public static async Task<Results<Created<ImportReport>, ProblemHttpResult, ValidationProblem>> UploadImport(
        HttpContext context, SettlementMapDbContext db, ImportUploads uploads, IConfiguration configuration, TimeProvider clock,
        [FromQuery(Name = "file_name")] string? fileName, CancellationToken cancellationToken)
    {
        var editor = await Editor.LoadAsync(context.User, db, cancellationToken);
        if (editor is null)
        {
            return CannotImport();
        }
        if (FileNameError(fileName) is { } nameError)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file_name"] = [nameError] }, title: "The import request has invalid parameters.");
        }
        var safeName = fileName!;
        var (options, errors) = await ReadOptionsAsync(context.Request.Query, db, clock, cancellationToken);
        if (errors.Count > 0)
        {
            return errors.Problem("The import request has invalid parameters.");
        }

        uploads.RemoveStale(clock);
        var id = Guid.NewGuid();
        var folder = uploads.Folder(id);
        Directory.CreateDirectory(folder);
        var stored = Path.Combine(folder, safeName);
        var limit = MaxUploadBytes(configuration);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit + 1;
        }
        if (!await SaveBodyAsync(context.Request, stored, limit, cancellationToken))
        {
            Directory.Delete(folder, recursive: true);
            return Problem(StatusCodes.Status413PayloadTooLarge, "The file is too large.", $"Uploads are limited to {limit / 1024 / 1024} MB; split the file or use the command line (dotnet … import).");
        }

        var record = new ImportRecord
        {
            Id = id, FileName = safeName, StoredPath = stored, CreatedBy = editor.UserName, CreatedAt = clock.GetUtcNow(),
            Options = OptionsJson(context.Request.Query), Report = "{}",
        };
        var (report, failure) = await RunAsync(db, clock, configuration, uploads, record, options!, editor, apply: false, cancellationToken);
        if (failure is not null)
        {
            Directory.Delete(folder, recursive: true);
            return failure;
        }
        record.Report = JsonSerializer.Serialize(report, ReportJson);
        record.Mapping = MappingUsed(report!);
        db.Imports.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/imports/{id}", report);
    }

    public static async Task<Results<Ok<ImportReport>, ProblemHttpResult, ValidationProblem>> DryRunAgain(
        Guid id, HttpContext context, SettlementMapDbContext db, ImportUploads uploads, TimeProvider clock, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var (record, editor, problem) = await LoadAsync(id, context, db, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var (options, errors) = await ReadOptionsAsync(context.Request.Query, db, clock, cancellationToken);
        if (errors.Count > 0)
        {
            return errors.Problem("The import request has invalid parameters.");
        }
        var (report, failure) = await RunAsync(db, clock, configuration, uploads, record!, options!, editor!, apply: false, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }
        record!.Options = OptionsJson(context.Request.Query);
        record.Report = JsonSerializer.Serialize(report, ReportJson);
        record.Mapping = MappingUsed(report!);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(report);
    }

    public static async Task<Results<Ok<ImportReport>, ProblemHttpResult, ValidationProblem>> ApplyImport(
        Guid id, HttpContext context, SettlementMapDbContext db, ImportUploads uploads, TimeProvider clock, IConfiguration configuration,
        [FromQuery(Name = "skip_bad_rows")] bool? skipBadRows, CancellationToken cancellationToken)
    {
        var (record, editor, problem) = await LoadAsync(id, context, db, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        // The options of the dry run the user saw; only skip_bad_rows is the apply's own. The mapping is
        // the dry run's copy, not the shared mapping of that name: someone may have changed it since.
        var saved = JsonSerializer.Deserialize<Dictionary<string, string>>(record!.Options, ReportJson) ?? [];
        var query = new QueryCollection(saved.Where(p => p.Key is not ("skip_bad_rows" or "mapping"))
            .ToDictionary(p => p.Key, p => new Microsoft.Extensions.Primitives.StringValues(p.Value)));
        var (options, errors) = await ReadOptionsAsync(query, db, clock, cancellationToken);
        if (errors.Count > 0)
        {
            return errors.Problem("The saved options of this import are no longer valid.");
        }
        // A measures import has fixed column names, not a settlements mapping.
        ImportMapping? dryRunMapping = null;
        if (!options!.Measures && (record.Mapping is null || !TryParseMapping(record.Mapping, out dryRunMapping, out _)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["mapping"] = ["This import has no dry run to apply: dry-run it again."] },
                title: "The saved options of this import are no longer valid.");
        }
        var (report, failure) = await RunAsync(db, clock, configuration, uploads, record, options! with { SkipBadRows = skipBadRows ?? false, Mapping = dryRunMapping }, editor!, apply: true, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }
        if (!options.Measures)
        {
            report!.Notes.Add(await MappingNoteAsync(db, saved.GetValueOrDefault("mapping"), record.Mapping!, cancellationToken));
        }
        record.Report = JsonSerializer.Serialize(report, ReportJson);
        if (report!.Applied)
        {
            record.AppliedAt = clock.GetUtcNow();
            var folder = uploads.Folder(record.Id);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            record.StoredPath = null;
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(report);
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetImportReport(
        Guid id, HttpContext context, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        var (record, _, problem) = await LoadAsync(id, context, db, cancellationToken, forReading: true);
        return problem is not null ? problem : TypedResults.Text(record!.Report, "application/json");
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetImportReportPage(
        Guid id, HttpContext context, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        var (record, _, problem) = await LoadAsync(id, context, db, cancellationToken, forReading: true);
        if (problem is not null)
        {
            return problem;
        }
        var report = JsonSerializer.Deserialize<ImportReport>(record!.Report, ReportJson)!;
        return TypedResults.Text(ImportReportPage.Render(report), "text/html; charset=utf-8");
    }

    /// <summary>The mapping a dry run used, kept with its import (see <see cref="ImportRecord.Mapping"/>).</summary>
    private static string MappingUsed(ImportReport report) => ImportMappings.ToJson(new ImportMapping(report.Mapping));

    /// <summary>What the apply's report says about its mapping: the dry run's, and whether the shared one changed since.</summary>
    private static async Task<string> MappingNoteAsync(SettlementMapDbContext db, string? name, string used, CancellationToken cancellationToken)
    {
        const string Used = "Applied with the column mapping of the dry run, kept with this import";
        if (string.IsNullOrWhiteSpace(name))
        {
            return Used + ".";
        }
        var key = name.Trim().ToLowerInvariant();
        var shared = await db.ImportMappings.AsNoTracking().SingleOrDefaultAsync(m => m.Name == key, cancellationToken);
        var changed = shared is null || !TryParseMapping(shared.Mapping, out var now, out _) || ImportMappings.ToJson(now!) != used;
        return changed
            ? $"{Used}; the shared mapping '{name}' was {(shared is null ? "deleted" : $"changed by {shared.SavedBy}")} after the dry run, and that change was not applied."
            : $"{Used} (the shared mapping '{name}', unchanged since).";
    }

    public sealed record MappingSummary(string Name, string SavedBy, DateTimeOffset SavedAt);

    public static async Task<Ok<List<MappingSummary>>> ListMappings(SettlementMapDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.ImportMappings.AsNoTracking().OrderBy(m => m.Name)
            .Select(m => new MappingSummary(m.Name, m.SavedBy, m.SavedAt)).ToListAsync(cancellationToken));

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetMapping(string name, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        var key = name.Trim().ToLowerInvariant();
        var saved = await db.ImportMappings.AsNoTracking().SingleOrDefaultAsync(m => m.Name == key, cancellationToken);
        return saved is null
            ? Problem(StatusCodes.Status404NotFound, "No such mapping.", $"No mapping is saved under the name '{name}'.")
            : TypedResults.Text(saved.Mapping, "application/json");
    }

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> SaveMapping(
        string name, HttpContext context, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var editor = await Editor.LoadAsync(context.User, db, cancellationToken);
        if (editor is null)
        {
            return Problem(StatusCodes.Status403Forbidden, "This account cannot save mappings.", "Sign in as an administrator or a coordinator.");
        }
        var key = name.Trim().ToLowerInvariant();
        if (key.Length is 0 or > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["A mapping's name has 1 to 100 characters."] });
        }
        // Through JsonBody like every other body: its size limit and its text rule (NUL, lone surrogates) name the field.
        var (document, problem) = await JsonBody.ReadAsync(context.Request, cancellationToken, MappingBodyLimitBytes);
        if (problem is not null)
        {
            return problem;
        }
        string text;
        using (document)
        {
            text = document!.RootElement.GetRawText();
        }
        if (!TryParseMapping(text, out var mapping, out var error))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["columns"] = [error!] }, title: "The mapping is not valid.");
        }
        var saved = await db.ImportMappings.SingleOrDefaultAsync(m => m.Name == key, cancellationToken);
        if (saved is null)
        {
            saved = new SavedImportMapping { Name = key, Mapping = "{}", SavedBy = editor.UserName, OwnerId = editor.UserId };
            db.ImportMappings.Add(saved);
        }
        else if (NotYours(saved, editor) is { } forbidden)
        {
            return forbidden;
        }
        saved.Mapping = ImportMappings.ToJson(mapping!);
        saved.SavedBy = editor.UserName;
        saved.SavedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Longest file_name accepted.</summary>
    public const int MaxFileNameLength = 200;

    /// <summary>
    /// Why file_name cannot name the stored upload, or null: it becomes a file in the import's own
    /// folder, so it must be one plain name. No path (separators, "." or ".."), no control
    /// character or NUL, no lone surrogate, nothing a file system refuses, at most 200 characters.
    /// </summary>
    public static string? FileNameError(string? fileName)
    {
        const string Example = "e.g. settlements.zip";
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return $"file_name must give the uploaded file's name, {Example}.";
        }
        if (fileName.Length > MaxFileNameLength)
        {
            return $"file_name has {fileName.Length} characters; a file name may have at most {MaxFileNameLength}.";
        }
        if (fileName.IndexOfAny(['/', '\\']) >= 0)
        {
            return $"file_name must be the file's name without a folder, {Example}.";
        }
        if (fileName.Trim().Trim('.').Length == 0 || fileName != fileName.Trim())
        {
            return $"file_name must be a file's name (not only dots, no spaces around it), {Example}.";
        }
        for (var i = 0; i < fileName.Length; i++)
        {
            var c = fileName[i];
            if (char.IsControl(c) || Path.GetInvalidFileNameChars().Contains(c) || (char.IsSurrogate(c) && !(i + 1 < fileName.Length && char.IsSurrogatePair(c, fileName[++i]))))
            {
                return $"file_name holds a character a file name cannot have (a control character, a NUL or a broken Unicode sequence) at position {i + 1}.";
            }
        }
        return null;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteMapping(
        string name, HttpContext context, SettlementMapDbContext db, CancellationToken cancellationToken)
    {
        var editor = await Editor.LoadAsync(context.User, db, cancellationToken);
        if (editor is null)
        {
            return Problem(StatusCodes.Status403Forbidden, "This account cannot delete mappings.", "Sign in as an administrator or a coordinator.");
        }
        var key = name.Trim().ToLowerInvariant();
        var saved = await db.ImportMappings.SingleOrDefaultAsync(m => m.Name == key, cancellationToken);
        if (saved is null)
        {
            return Problem(StatusCodes.Status404NotFound, "No such mapping.", $"No mapping is saved under the name '{name}'.");
        }
        if (NotYours(saved, editor) is { } forbidden)
        {
            return forbidden;
        }
        db.ImportMappings.Remove(saved);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>A shared mapping is changed or deleted by its author or an administrator only: others get 403.</summary>
    private static ProblemHttpResult? NotYours(SavedImportMapping saved, Editor editor) =>
        editor.IsAdministrator || (saved.OwnerId is { } owner && owner == editor.UserId)
            ? null
            : Problem(StatusCodes.Status403Forbidden, "Not your mapping.",
                $"The mapping '{saved.Name}' belongs to the account that created it: only that account or an administrator changes or deletes it. Save yours under another name.");

    /// <summary>The options of a dry run as stored with the import: what its apply reads back.</summary>
    private static string OptionsJson(IQueryCollection query) => JsonSerializer.Serialize(query.ToDictionary(q => q.Key, q => q.Value.ToString()), ReportJson);

    private static readonly string[] KnownOptions = ["file_name", "crs", "layer", "encoding", "sheet", "wkt_column", "lon_column", "lat_column", "mapping", "repair", "describes", "kind"];

    /// <summary>The options <see cref="ReadOptionsAsync"/> reads, as the OpenAPI document states them.</summary>
    private static readonly QueryParameterText[] OptionText =
    [
        new("crs", "The CRS of the file's coordinates where the file does not say (EPSG:n or CRS84)."),
        new("layer", "The layer of a GeoPackage to read."),
        new("encoding", "The text encoding of a CSV or a shapefile's DBF: utf-8, windows-1250 (Latin) or windows-1251 (Cyrillic)."),
        new("sheet", "The sheet of an .xlsx workbook to read."),
        new("wkt_column", "The column holding each outline as WKT (CSV, .xlsx)."),
        new("lon_column", "The column holding a point's longitude (CSV, .xlsx)."),
        new("lat_column", "The column holding a point's latitude (CSV, .xlsx)."),
        new("mapping", "A saved column mapping's name."),
        new("repair", "true: make invalid outlines valid (ST_MakeValid) instead of refusing them.", "boolean"),
        new("describes", "The date the file's data describes (a survey's date), yyyy-MM-dd, from 1900 to today: each change is dated at the start of that day (UTC). " +
            "A row for a settlement whose current version began later goes into its history (the current state is not changed); the dry run says which. Absent: now."),
        new("kind", "settlements (default) or measures: the measures of local action plans from a .csv or .xlsx (see README, \"Importing measures\")."),
    ];

    /// <summary>The import options of a query; every bad one is named (the date's refusal with its code, for the page to word it).</summary>
    public static async Task<(ImportOptions? Options, OptionErrors Errors)> ReadOptionsAsync(
        IQueryCollection values, SettlementMapDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(db);
        var query = new QueryParameters();
        query.RejectUnknown(values, KnownOptions);
        string? Value(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        SupportedCrs? crs = null;
        if (Value("crs") is { } crsText && !CrsRegistry.TryParse(crsText, out crs))
        {
            query.AddError("crs", $"Unknown CRS '{crsText}'; supported: {string.Join(", ", CrsRegistry.All.Select(c => c.Epsg is { } e ? $"EPSG:{e}" : "CRS84"))}.");
        }
        var encoding = Value("encoding");
        if (encoding is not null && !Encodings.Contains(encoding.ToLowerInvariant()))
        {
            query.AddError("encoding", $"Unknown encoding '{encoding}'; use utf-8, windows-1250 (Latin) or windows-1251 (Cyrillic).");
        }
        DateOnly? describes = null;
        var refusals = new Dictionary<string, List<RuleError>>(StringComparer.Ordinal);
        if (Value("describes") is { } describesText)
        {
            if (History.ChangeTime.Read("describes", describesText, clock.GetUtcNow(), dateOnly: true, out var at) is { } refusal)
            {
                query.AddError("describes", refusal.Message);
                refusals["describes"] = [refusal];
            }
            else
            {
                describes = DateOnly.FromDateTime(at.UtcDateTime);
            }
        }
        var repair = false;
        if (Value("repair") is { } repairText && !bool.TryParse(repairText, out repair))
        {
            query.AddError("repair", "repair must be true or false.");
        }
        ImportMapping? mapping = null;
        if (Value("mapping") is { } mappingName)
        {
            var key = mappingName.ToLowerInvariant();
            var saved = await db.ImportMappings.AsNoTracking().SingleOrDefaultAsync(m => m.Name == key, cancellationToken);
            if (saved is null)
            {
                query.AddError("mapping", $"No mapping is saved under the name '{mappingName}'.");
            }
            else if (!TryParseMapping(saved.Mapping, out mapping, out var error))
            {
                query.AddError("mapping", $"The saved mapping '{mappingName}' is not valid any more: {error}");
            }
        }
        var measures = false;
        if (Value("kind") is { } kind && !(measures = kind == MeasureImport.Kind) && kind != "settlements")
        {
            query.AddError("kind", $"kind is settlements or {MeasureImport.Kind}, not '{kind}'.");
        }
        var read = new ImportReadOptions(Value("layer"), encoding, Value("sheet"), Value("wkt_column"), Value("lon_column"), Value("lat_column"));
        return (query.HasErrors ? null : new ImportOptions(read, crs, mapping, repair, SkipBadRows: false, describes, measures), new OptionErrors(query.Errors, refusals));
    }

    /// <summary>The bad options of a request by name, and the refusals among them that have a code (describes).</summary>
    public sealed class OptionErrors(IDictionary<string, string[]> messages, IReadOnlyDictionary<string, List<RuleError>> refusals)
    {
        public IDictionary<string, string[]> Messages { get; } = messages;

        public int Count => Messages.Count;

        /// <summary>400 problem+json naming each bad option; error_codes for those with a code.</summary>
        public ValidationProblem Problem(string title) =>
            TypedResults.ValidationProblem(Messages, title: title, extensions: refusals.Count == 0 ? null : RefusalMembers.Of(refusals));
    }

    private static async Task<(ImportReport? Report, ProblemHttpResult? Failure)> RunAsync(
        SettlementMapDbContext db, TimeProvider clock, IConfiguration configuration, ImportUploads uploads, ImportRecord record, ImportOptions options, Editor editor, bool apply, CancellationToken cancellationToken)
    {
        if (uploads.FileOf(record) is not { } stored || !File.Exists(stored))
        {
            return (null, Problem(StatusCodes.Status409Conflict, "The uploaded file is no longer kept.",
                $"Files are kept until applied, or for {ImportUploads.KeptFor.TotalDays} days: upload it again."));
        }
        try
        {
            var limits = ImportLimits.FromConfiguration(configuration);
            var runner = new ImportRunner(db, clock, limits);
            var report = await ImportBudget.RunAsync(limits, record.FileName, token => options.Measures
                ? MeasureImport.RunAsync(db, clock, stored, record.FileName, options.Read, limits, editor, record.Id, apply, options.SkipBadRows, token)
                : runner.RunAsync(stored, record.FileName, options, new ImportActor(editor.UserName, editor), record.Id, apply, null, token), cancellationToken);
            return (report, null);
        }
        catch (ImportFileException e)
        {
            return (null, e.Title is null
                ? Problem(StatusCodes.Status422UnprocessableEntity, "The file cannot be imported.", e.Message)
                : Problem(StatusCodes.Status422UnprocessableEntity, e.Title, $"{record.FileName}: {e.Message}"));
        }
    }

    private static async Task<(ImportRecord? Record, Editor? Editor, ProblemHttpResult? Problem)> LoadAsync(
        Guid id, HttpContext context, SettlementMapDbContext db, CancellationToken cancellationToken, bool forReading = false)
    {
        var editor = await Editor.LoadAsync(context.User, db, cancellationToken);
        if (editor is null)
        {
            return (null, null, CannotImport());
        }
        var record = await db.Imports.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        // Another coordinator's import is not theirs to see: answer as if it did not exist.
        if (record is null || (!editor.IsAdministrator && record.CreatedBy != editor.UserName))
        {
            return (null, null, Problem(StatusCodes.Status404NotFound, "No such import.", $"No import {id} of yours exists."));
        }
        if (!forReading && record.AppliedAt is not null)
        {
            return (null, null, Problem(StatusCodes.Status409Conflict, "This import was applied already.", "Upload the file again to import it again."));
        }
        return (record, editor, null);
    }

    private static async Task<bool> SaveBodyAsync(HttpRequest request, string path, long limit, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
            {
                return false;
            }
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return true;
    }

    /// <summary>A mapping's JSON, checked: false with the reasons in plain words.</summary>
    public static bool TryParseMapping(string json, out ImportMapping? mapping, out string? error)
    {
        try
        {
            mapping = ImportMappings.FromJson(json);
            var problems = ImportMappings.Check(mapping);
            error = problems.Count == 0 ? null : string.Join(" ", problems);
            return problems.Count == 0;
        }
        catch (ImportMappingException e)
        {
            mapping = null;
            error = string.Join(" ", e.Errors);
            return false;
        }
    }

    private static ProblemHttpResult CannotImport() =>
        Problem(StatusCodes.Status403Forbidden, "This account cannot import.", "Sign in as an administrator or a coordinator.");

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
