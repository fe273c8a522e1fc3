using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Import.Mapping;
using SettlementMap.Web.Features.Import.Readers;
using SettlementMap.Web.Geo;
using SettlementMap.Web.Geo.Crs;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Import;

/// <summary>What the user chose for one import.</summary>
/// <param name="Read">Layer, encoding, sheet and CSV geometry columns.</param>
/// <param name="Crs">The CRS of the coordinates when the file does not say (or says wrongly); null: the file's.</param>
/// <param name="Mapping">The column mapping; null: recognised from the column names.</param>
/// <param name="Repair">Repair invalid outlines with ST_MakeValid (each repair is listed) instead of refusing them.</param>
/// <param name="SkipBadRows">On apply, load the good rows and leave the bad ones; otherwise one bad row stops the whole apply.</param>
/// <param name="Describes">
/// The day the file's data describes (a survey's date); null: now. Each change is dated at the start of that
/// day (UTC). A row for a settlement whose current version began after it goes into its history instead.
/// </param>
/// <param name="Measures">kind=measures: the file holds measures of local action plans (<see cref="MeasureImport"/>), not settlements.</param>
public sealed record ImportOptions(ImportReadOptions Read, SupportedCrs? Crs, ImportMapping? Mapping, bool Repair, bool SkipBadRows, DateOnly? Describes = null, bool Measures = false);

/// <summary>Who imports: the account name written in the audit, and where they may write (null: everywhere, e.g. the CLI).</summary>
public sealed record ImportActor(string UserName, Editor? Editor)
{
    public bool MayWrite(int municipalityId) => Editor is null || Editor.MayEdit(municipalityId);
}

/// <summary>
/// Reads a file, maps and checks every row, and writes the good ones through EF Core with an audit
/// row each, in one transaction. Rows stream through in batches: memory holds one batch, the codes
/// seen (to catch duplicates) and the listed problems, whatever the file's size. A dry run is the
/// same run rolled back at the end, so it sees what apply will see (rows of the file that overlap
/// each other, the database's own checks) and lists exactly the rows apply would refuse.
/// </summary>
public sealed class ImportRunner(SettlementMapDbContext db, TimeProvider clock, ImportLimits? limits = null)
{
    /// <summary>Rows mapped and checked together: what the pipeline holds at once (the memory budget counts them).</summary>
    internal const int BatchSize = 500;

    /// <summary>How an import's audit rows begin their note (data freshness puts such a change down to "import").</summary>
    public const string AuditNotePrefix = "import of ";

    private static readonly WKBWriter Wkb = new();
    private static readonly WKBReader WkbReader = new(NetTopologySuite.NtsGeometryServices.Instance);

    public async Task<ImportReport> RunAsync(
        string path, string fileName, ImportOptions options, ImportActor actor, Guid importId, bool apply,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(actor);
        var stopwatch = Stopwatch.StartNew();
        await using var source = await ImportSources.OpenAsync(path, fileName, options.Read, limits ?? ImportLimits.Default, cancellationToken);
        var description = source.Description;
        var report = new ImportReport
        {
            Id = importId, FileName = fileName, Format = description.Format, Layer = description.Layer, Encoding = description.Encoding,
            Repair = options.Repair, DryRun = !apply, SkipBadRows = options.SkipBadRows, Describes = options.Describes,
        };
        var crs = ResolveCrs(description, options.Crs, report);
        report.Notes.Add(description.Format is "CSV" or "XLSX"
            ? "Row numbers count the data rows: row 1 is the first row under the header."
            : "Row numbers count the features of the file from 1.");
        var mapping = options.Mapping ?? ColumnMatcher.Suggest(description.Columns);
        report.Mapping = new Dictionary<string, string>(mapping.Columns, StringComparer.Ordinal);
        report.UnmappedColumns = [.. ColumnMatcher.Unmapped(description.Columns, mapping)];
        if (!mapping.Columns.Values.Contains("code"))
        {
            throw new ImportFileException(
                "No column is mapped to the settlement code, the key that makes a re-import update the same settlements instead of adding copies. " +
                $"Map one of the columns ({string.Join(", ", description.Columns)}) to code.");
        }

        var municipalities = await MunicipalityLookup.LoadAsync(db, cancellationToken);
        var origin = SourceText(fileName);
        var state = new RunState(report, actor, municipalities, crs, description.HasGeometry, options.Repair, origin, importId, clock.GetUtcNow(),
            options.Describes is { } day ? History.SettlementTime.StartOf(day) : null);

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await History.ChangeTime.SetAsync(db, state.EffectiveAt, cancellationToken);
            var batch = new List<PendingRow>(BatchSize);
            await foreach (var row in source.ReadRowsAsync(cancellationToken))
            {
                report.RowsRead++;
                batch.Add(Prepare(row, mapping, state));
                if (batch.Count == BatchSize)
                {
                    await ProcessBatchAsync(batch, state, cancellationToken);
                    batch.Clear();
                    progress?.Report(new ImportProgress(report.RowsRead, report.RowsWithProblems));
                }
            }
            await ProcessBatchAsync(batch, state, cancellationToken);
            progress?.Report(new ImportProgress(report.RowsRead, report.RowsWithProblems));

            if (!apply)
            {
                await transaction.RollbackAsync(cancellationToken);
                report.Outcome = report.RowsWithProblems == 0
                    ? $"Dry run: all {report.RowsRead} rows are good. Apply would create {report.Created}, update {report.Updated}{HistoryText(report, " and add")} and leave {report.Unchanged} unchanged."
                    : $"Dry run: {report.RowsWithProblems} of {report.RowsRead} rows have problems. Fix them, or apply skipping them: that would create {report.Created}, update {report.Updated}{HistoryText(report, " and add")} and leave {report.Unchanged} unchanged.";
            }
            else if (report.RowsWithProblems > 0 && !options.SkipBadRows)
            {
                await transaction.RollbackAsync(cancellationToken);
                report.Created = report.Updated = report.History = 0;
                report.Outcome = $"Nothing was imported: {report.RowsWithProblems} of {report.RowsRead} rows have problems. Fix them, or apply skipping the bad rows.";
            }
            else
            {
                await transaction.CommitAsync(cancellationToken);
                report.Applied = true;
                report.Outcome = $"Imported: {report.Created} created, {report.Updated} updated{HistoryText(report, ",")}, {report.Unchanged} unchanged" +
                    (report.RowsWithProblems > 0 ? $", {report.RowsWithProblems} bad rows skipped." : ".");
            }
        }
        finally
        {
            db.ChangeTracker.Clear();
            await db.Database.CloseConnectionAsync();
        }
        report.Seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 2);
        return report;
    }

    /// <summary>The rows a dated import puts into history, in the outcome's words ("" when there are none).</summary>
    private static string HistoryText(ImportReport report, string joiner) =>
        report.History == 0 ? "" : $"{joiner} {report.History} to history (dated before the settlement's current version)";

    /// <summary>The origin written into <c>source</c> of every settlement the file creates or changes.</summary>
    public static string SourceText(string fileName) => $"import: {Path.GetFileName(fileName)}";

    private static SupportedCrs ResolveCrs(SourceDescription description, SupportedCrs? chosen, ImportReport report)
    {
        if (description.CrsNote is { } note)
        {
            report.Notes.Add(note);
        }
        SupportedCrs crs;
        if (chosen is not null)
        {
            if (description.Crs is { } declared && declared != chosen)
            {
                report.Notes.Add($"The file declares {Name(declared)}; the coordinates were read as {Name(chosen)}, as chosen.");
            }
            crs = chosen;
            report.CrsSource = "user";
        }
        else if (description.Crs is { } declared)
        {
            crs = declared;
            report.CrsSource = "file";
        }
        else if (!description.HasGeometry || description.Format is "GeoJSON" or "CSV")
        {
            // RFC 7946 GeoJSON is WGS 84 lon/lat by definition; a CSV has no place to say, and the extent check catches a wrong guess.
            crs = CrsRegistry.Crs84;
            report.CrsSource = "default";
        }
        else
        {
            throw new ImportFileException($"The {description.Format} file does not say which coordinate system it uses (no .prj or SRS): choose it (for example EPSG:3909 or EPSG:32634).");
        }
        report.Crs = Name(crs);
        return crs;
    }

    private static string Name(SupportedCrs crs) => crs.Epsg is { } epsg ? $"EPSG:{epsg}" : "CRS84";

    private sealed record RunState(
        ImportReport Report, ImportActor Actor, MunicipalityLookup Municipalities, SupportedCrs Crs, bool SourceHasGeometry, bool Repair,
        string Source, Guid ImportId, DateTimeOffset Now, DateTimeOffset? Describes)
    {
        public HashSet<string> Codes { get; } = new(StringComparer.Ordinal);

        /// <summary>When this import's changes take effect: the day the data describes, else now.</summary>
        public DateTimeOffset EffectiveAt => Describes ?? Now;

        /// <summary>The note of every audit row this import writes.</summary>
        public string AuditNote => $"{AuditNotePrefix}{Report.FileName} ({ImportId})";
    }

    private sealed class PendingRow(long number)
    {
        public long Number { get; } = number;
        public string? Code { get; set; }
        public SettlementEdit? Edit { get; set; }
        public int? MunicipalityId { get; set; }
        public MultiPolygon? Outline { get; set; }

        /// <summary>The row located the settlement with a point (lon/lat columns): it may update attributes, not create an outline.</summary>
        public bool GavePoint { get; set; }
        public List<RowProblem> Problems { get; } = [];
        public IReadOnlyDictionary<string, string?> Values { get; set; } = new Dictionary<string, string?>();
        public ImportMapping? Mapping { get; set; }

        public void Problem(string field, string reason) => Problems.Add(new RowProblem(Number, field, RawValue(field), reason));

        public void Problem(string field, RuleError error) => Problems.Add(new RowProblem(Number, field, RawValue(field), error.Message, error.Rule, error.ToErrorCode()));

        /// <summary>The editing rules' findings (SettlementEdit) become this row's problems; the edit starts clean again.</summary>
        public void TakeEditErrors()
        {
            foreach (var (field, errors) in Edit!.Errors)
            {
                foreach (var error in errors)
                {
                    Problem(field, error);
                }
            }
            Edit.Errors.Clear();
        }

        private string? RawValue(string field)
        {
            if (Mapping is null)
            {
                return null;
            }
            var column = Mapping.Columns.FirstOrDefault(c => c.Value == field).Key
                ?? (field is "name_latn" or "name_cyrl" ? Mapping.Columns.FirstOrDefault(c => c.Value == "name").Key : null);
            return column is not null ? Values.GetValueOrDefault(column) : null;
        }
    }

    /// <summary>Everything about a row that needs no database: mapping, types, ranges, closed lists, the key, the geometry's shape and place.</summary>
    private static PendingRow Prepare(SourceRow row, ImportMapping mapping, RunState state)
    {
        var pending = new PendingRow(row.Number) { Values = row.Values, Mapping = mapping };
        var mapped = RowMapper.Map(row, mapping);
        pending.Problems.AddRange(mapped.Problems);

        if (string.IsNullOrEmpty(mapped.Code))
        {
            // A code the mapper refused (a broken character) is reported once, as what it is.
            if (mapped.Problems.All(p => p.Field != "code"))
            {
                pending.Problem("code", "The row has no code: every row needs the settlement's code (its stable key).");
            }
        }
        else if (!state.Codes.Add(mapped.Code))
        {
            pending.Problem("code", $"The code {mapped.Code} appears on an earlier row of the file too: each settlement once.");
        }
        pending.Code = mapped.Code;

        var properties = (JsonObject)mapped.Properties.DeepClone();
        if (mapped.Code is not null)
        {
            properties["code"] = mapped.Code;
        }
        pending.Edit = SettlementEdit.Read(JsonSerializer.SerializeToElement(new JsonObject { ["properties"] = properties }), geometryRequired: false);
        pending.TakeEditErrors();

        if (mapped.Municipality is { } municipality)
        {
            if (state.Municipalities.Find(municipality) is { } id)
            {
                pending.MunicipalityId = id;
            }
            else
            {
                pending.Problem("municipality", $"No municipality is called or coded '{municipality}' (write its name in Latin or Cyrillic, or its code such as 'nis').");
            }
        }

        if (row.GeometryError is { } geometryError)
        {
            pending.Problem("geometry", geometryError);
        }
        else if (row.Geometry is { } geometry)
        {
            pending.Outline = CheckOutline(pending, geometry, state.Crs);
        }
        return pending;
    }

    private static MultiPolygon? CheckOutline(PendingRow pending, Geometry geometry, SupportedCrs crs)
    {
        if (geometry.IsEmpty)
        {
            pending.Problem("geometry", Refusals.EmptyOutline());
            return null;
        }
        if (geometry is Point point)
        {
            // A point locates a settlement (lon/lat columns): it may update attributes, never an outline; still, it must lie in Serbia.
            var at = XyOrder.ToCrs84(point, crs).Coordinate;
            var (lon, lat) = (at.X, at.Y);
            if (!SettlementRules.InSerbia(new Envelope(at)))
            {
                pending.Problem("geometry", Refusals.OutsideSerbiaAt("point", Name(crs), lon, lat));
            }
            pending.GavePoint = true;
            return null;
        }
        if (geometry is not (Polygon or MultiPolygon))
        {
            pending.Problem("geometry", Refusals.NotPolygonGeometry(geometry.GeometryType));
            return null;
        }
        if (geometry.NumPoints > GeometryInput.MaxVertices)
        {
            pending.Problem("geometry", Refusals.TooManyVertices(GeometryInput.MaxVertices));
            return null;
        }
        if (geometry.Coordinates.Any(c => !double.IsNaN(c.Z) && c.Z != 0))
        {
            pending.Problem("geometry", Refusals.OutlineHeights());
            return null;
        }
        Geometry lonLat;
        try
        {
            lonLat = XyOrder.ToCrs84(geometry, crs);
        }
        catch (ArgumentException e)
        {
            pending.Problem("geometry", $"The coordinates cannot be converted from {Name(crs)}: {e.Message}");
            return null;
        }
        var extent = lonLat.EnvelopeInternal;
        if (!SettlementRules.InSerbia(extent))
        {
            pending.Problem("geometry", Refusals.OutsideSerbiaAt("outline", Name(crs), extent.Centre.X, extent.Centre.Y));
            return null;
        }
        // Not normalised yet: an invalid outline goes to the database as it is, to be reported or repaired.
        return lonLat is MultiPolygon multi ? multi : lonLat.Factory.CreateMultiPolygon([(Polygon)lonLat]);
    }

    private async Task ProcessBatchAsync(List<PendingRow> batch, RunState state, CancellationToken cancellationToken)
    {
        var candidates = batch.Where(r => r.Problems.Count == 0).ToList();
        if (candidates.Count > 0)
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var checkedRows = await ImportSql.CheckAsync(
                connection, [.. candidates.Select(r => (r.Number, r.Code!, r.MunicipalityId, r.Outline is null ? null : Wkb.Write(r.Outline)))], state.Repair, cancellationToken);
            var ids = checkedRows.Values.Where(c => c.SettlementId is not null).Select(c => c.SettlementId!.Value).ToList();
            var existing = ids.Count == 0
                ? []
                : await db.Settlements.Include(s => s.Municipality).Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
            var created = new List<Settlement>();
            foreach (var row in candidates)
            {
                var check = checkedRows[row.Number];
                CheckPlace(row, check, state);
                if (row.Problems.Count == 0)
                {
                    await WriteAsync(row, check, existing, state, created, cancellationToken);
                }
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                foreach (var settlement in created)
                {
                    db.SettlementChanges.Add(SettlementAudit.Record(ChangeAction.Create, settlement.Id, state.Actor.UserName, state.Now,
                        null, SettlementFields.Snapshot(settlement, state.Municipalities.Code(settlement.MunicipalityId)), null, settlement.Geom, state.AuditNote, state.Describes));
                }
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e)
            {
                // Our checks mirror the database's constraints; should one still refuse a row, the whole file stops, nothing kept.
                throw new ImportFileException(
                    $"The database refused a row among rows {batch[0].Number}–{batch[^1].Number}: {(e.InnerException ?? e).Message}");
            }
            db.ChangeTracker.Clear();
        }
        foreach (var row in batch.Where(r => r.Problems.Count > 0))
        {
            state.Report.RowsWithProblems++;
            foreach (var problem in row.Problems)
            {
                state.Report.Add(problem);
            }
        }
    }

    private static void CheckPlace(PendingRow row, ImportSql.Checked check, RunState state)
    {
        if (check.InvalidReason is { } reason)
        {
            if (check.Repaired is null)
            {
                row.Problem("geometry", Refusals.InvalidOutline(reason, repairable: true));
                return;
            }
            var repaired = (MultiPolygon)WkbReader.Read(check.Repaired);
            if (repaired.IsEmpty || repaired.Area <= 0)
            {
                row.Problem("geometry", Refusals.InvalidOutline(reason, repairable: false));
                return;
            }
            repaired.SRID = 4326;
            row.Outline = repaired;
            state.Report.Repairs.Add(new RowRepair(row.Number, row.Code, reason));
        }
        if (row.Outline is not null && row.Outline.Area <= 0)
        {
            row.Problem("geometry", Refusals.NoArea());
            return;
        }
        if (check.SettlementId is null && row.Outline is null)
        {
            row.Problem("geometry", state.SourceHasGeometry
                ? $"No settlement has the code {row.Code} yet, and a new one needs its outline (a Polygon{(row.GavePoint ? "; the row gives only a Point" : "")})."
                : $"No settlement has the code {row.Code}: a file without outlines can only update existing settlements.");
            return;
        }
        if (check.TargetMunicipalityId is not { } municipalityId)
        {
            row.Problem("municipality", row.Outline is null
                ? "The row names no municipality and has no outline to find it by."
                : "The outline is not inside any municipality of Serbia.");
            return;
        }
        if (check.Inside == false)
        {
            row.Problem("geometry", SettlementRules.OutsideMunicipality(state.Municipalities.Name(municipalityId)));
        }
        if (check.Overlaps is { } other)
        {
            row.Problem("geometry", SettlementRules.Overlap($"the settlement {other}"));
        }
        else if (check.OverlapsRow is { } earlier)
        {
            row.Problem("geometry", SettlementRules.Overlap(FormattableString.Invariant($"row {earlier} of this file")));
        }
        if (!state.Actor.MayWrite(municipalityId))
        {
            row.Problem("municipality", $"{state.Municipalities.Name(municipalityId)} is not one of your municipalities.");
        }
        else if (check.CurrentMunicipalityId is { } current && !state.Actor.MayWrite(current))
        {
            row.Problem("municipality", $"The settlement {row.Code} is in {state.Municipalities.Name(current)}, which is not one of your municipalities.");
        }
    }

    private async Task WriteAsync(PendingRow row, ImportSql.Checked check, Dictionary<long, Settlement> existing, RunState state, List<Settlement> created, CancellationToken cancellationToken)
    {
        var edit = row.Edit!;
        var municipalityId = check.TargetMunicipalityId!.Value;
        var outline = row.Outline is null ? null : GeometryInput.Normalise(row.Outline);
        if (check.SettlementId is { } pastId && state.Describes is { } describes && check.CurrentSince > describes)
        {
            await WriteHistoryAsync(row, pastId, municipalityId, outline, describes, state, cancellationToken);
            return;
        }
        if (check.SettlementId is { } id)
        {
            var settlement = existing[id];
            var before = SettlementFields.Snapshot(settlement, settlement.Municipality!.Code);
            var geometryBefore = settlement.Geom;
            if (!ApplyRow(row, settlement, municipalityId, outline, state))
            {
                db.Entry(settlement).State = EntityState.Detached;
                return;
            }
            state.Report.Place(row.Number, row.Code, ImportReport.BecomesCurrent);
            var change = SettlementAudit.Record(ChangeAction.Update, id, state.Actor.UserName, state.Now,
                before, SettlementFields.Snapshot(settlement, state.Municipalities.Code(municipalityId)), geometryBefore, settlement.Geom, state.AuditNote, state.Describes);
            if (!SettlementAudit.HasChanges(change))
            {
                state.Report.Unchanged++;
                db.Entry(settlement).State = EntityState.Detached;
                return;
            }
            settlement.UpdatedAt = state.Now;
            settlement.UpdatedBy = state.Actor.UserName;
            state.Report.Updated++;
            db.SettlementChanges.Add(change);
            return;
        }

        edit.RequireNames();
        var settlementToCreate = new Settlement
        {
            Code = row.Code!, NameLatn = "", NameCyrl = "", Geom = outline!, Source = state.Source, MunicipalityId = municipalityId,
            UpdatedAt = state.Now, UpdatedBy = state.Actor.UserName,
        };
        edit.ApplyTo(settlementToCreate);
        edit.CheckCrossFields(settlementToCreate);
        row.TakeEditErrors();
        if (row.Problems.Count > 0)
        {
            return;
        }
        state.Report.Created++;
        state.Report.Place(row.Number, row.Code, ImportReport.BecomesCurrent);
        db.Settlements.Add(settlementToCreate);
        created.Add(settlementToCreate);
    }

    /// <summary>
    /// The row's values over a settlement's state (the current one, or the past one a dated survey replaces): its
    /// attributes, municipality, outline and the file as source; false when the rules between fields refuse the result.
    /// </summary>
    private static bool ApplyRow(PendingRow row, Settlement settlement, int municipalityId, MultiPolygon? outline, RunState state)
    {
        var edit = row.Edit!;
        edit.ApplyTo(settlement);
        settlement.MunicipalityId = municipalityId;
        if (outline is not null && !SettlementAudit.GeometryEquals(outline, settlement.Geom))
        {
            settlement.Geom = outline;
        }
        if (!edit.Touches("source"))
        {
            settlement.Source = state.Source;
        }
        edit.CheckCrossFields(settlement);
        row.TakeEditErrors();
        return row.Problems.Count == 0;
    }

    /// <summary>
    /// A row of a survey dated before the settlement's current version began: its values go over the state
    /// they replace in history (PastVersions, insert_settlement_version), with an audit row written now and
    /// in effect at the survey's date; the current settlement is not touched.
    /// </summary>
    private async Task WriteHistoryAsync(PendingRow row, long id, int municipalityId, MultiPolygon? outline, DateTimeOffset describes, RunState state, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (await History.PastVersions.ReplacedStateAsync(connection, id, describes, cancellationToken) is not { } replaced)
        {
            row.Problem("code", $"The settlement {row.Code} has no recorded version to place this survey's state in.");
            return;
        }
        var (past, pastMunicipality) = replaced;
        var edit = row.Edit!;
        var before = SettlementFields.Snapshot(past, pastMunicipality);
        var geometryBefore = past.Geom;
        if (!ApplyRow(row, past, municipalityId, outline, state))
        {
            return;
        }
        state.Report.Place(row.Number, row.Code, ImportReport.BecomesHistory);
        var change = SettlementAudit.Record(ChangeAction.Update, id, state.Actor.UserName, state.Now,
            before, SettlementFields.Snapshot(past, state.Municipalities.Code(municipalityId)), geometryBefore, past.Geom,
            FormattableString.Invariant($"{state.AuditNote}: into history as of {describes:yyyy-MM-dd}, before the current version"), describes);
        if (!SettlementAudit.HasChanges(change))
        {
            state.Report.Unchanged++;
            return;
        }
        // The version's own provenance: the survey's day and who loaded it.
        past.UpdatedAt = describes;
        past.UpdatedBy = state.Actor.UserName;
        try
        {
            await History.PastVersions.InsertAsync(connection, past, describes, cancellationToken);
        }
        catch (PostgresException e)
        {
            // The transaction is lost with it: the whole file stops, nothing kept, as when a write to settlements is refused.
            throw new ImportFileException($"The database refused row {row.Number} ({row.Code}) as history: {e.MessageText}");
        }
        db.SettlementChanges.Add(change);
        state.Report.History++;
    }

    /// <summary>Municipalities by code and by either name (search keys: any case, any script, diacritics optional).</summary>
    private sealed class MunicipalityLookup
    {
        private readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);
        private readonly Dictionary<int, (string Code, string Name)> _byId = [];

        public static async Task<MunicipalityLookup> LoadAsync(SettlementMapDbContext db, CancellationToken cancellationToken)
        {
            var lookup = new MunicipalityLookup();
            foreach (var m in await db.Municipalities.AsNoTracking().Select(m => new { m.Id, m.Code, m.NameLatn, m.NameCyrl }).ToListAsync(cancellationToken))
            {
                lookup._byId[m.Id] = (m.Code, m.NameLatn);
                lookup._byKey.TryAdd(m.Code, m.Id);
                lookup._byKey.TryAdd(SerbianScript.SearchKey(m.NameLatn), m.Id);
                lookup._byKey.TryAdd(SerbianScript.SearchKey(m.NameCyrl), m.Id);
            }
            return lookup;
        }

        public int? Find(string text) =>
            _byKey.TryGetValue(text.Trim().ToLowerInvariant(), out var id) || _byKey.TryGetValue(SerbianScript.SearchKey(text), out id) ? id : null;

        public string Code(int id) => _byId[id].Code;

        public string Name(int id) => _byId[id].Name;
    }
}
