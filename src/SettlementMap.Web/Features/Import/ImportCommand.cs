using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Web.Data;
using SettlementMap.Web.Database;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Import.Mapping;
using SettlementMap.Web.Features.Import.Readers;

namespace SettlementMap.Web.Features.Import;

/// <summary>
/// dotnet SettlementMap.Web.dll import FILE …: the same dry run and apply as the upload page, on
/// the app's database, with a progress line and a summary. Dry run unless --apply.
/// </summary>
public static class ImportCommand
{
    public const string Usage = """
        import FILE [--apply [--skip-bad-rows]] [--crs EPSG:N] [--mapping NAME|FILE.json] [--repair]
                    [--layer NAME] [--encoding utf-8|windows-1250|windows-1251] [--sheet NAME]
                    [--wkt-column C] [--lon-column C] [--lat-column C] [--describes YYYY-MM-DD]
                    [--as USER] [--report FILE.html|FILE.json]
          FILE            .geojson, .csv, .zip (a zipped shapefile), .gpkg or .xlsx
          --apply         write the good rows (one transaction); without it, a dry run that writes nothing
          --skip-bad-rows with --apply: load the good rows even when some rows have problems
          --repair        make invalid outlines valid (ST_MakeValid); every repair is listed
          --describes D   the date the data describes (a survey's date, 1900 to today): changes are
                          dated then; rows for settlements changed since go into their history
          --as USER       the account the audit names, whose municipalities limit the import
                          (default: the system user, unrestricted)
          --report FILE   also write the whole report (HTML or JSON by the extension)
        """;

    private static readonly string[] ValueOptions = ["--crs", "--mapping", "--layer", "--encoding", "--sheet", "--wkt-column", "--lon-column", "--lat-column", "--describes", "--as", "--report"];
    private static readonly string[] FlagOptions = ["--apply", "--skip-bad-rows", "--repair"];

    public static async Task<int> RunAsync(ProjectPaths paths, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        var file = args[0];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            if (FlagOptions.Contains(args[i]))
            {
                flags.Add(args[i]);
            }
            else if (ValueOptions.Contains(args[i]) && i + 1 < args.Length)
            {
                values[args[i]] = args[++i];
            }
            else
            {
                return Fail($"Unknown or incomplete option '{args[i]}'.\n{Usage}");
            }
        }
        if (!File.Exists(file))
        {
            return Fail($"No file {file}.");
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = Path.Combine(paths.Root, "src", "SettlementMap.Web") });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await builder.AddSettlementMapDatabaseAsync(paths);
        await using var app = builder.Build();
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SettlementMapDbContext>();
            await DatabaseInitialisation.MigrateAsync(db, app.Logger);

            var query = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(StringComparer.Ordinal);
            foreach (var (option, name) in new[] { ("--crs", "crs"), ("--layer", "layer"), ("--encoding", "encoding"), ("--sheet", "sheet"), ("--wkt-column", "wkt_column"), ("--lon-column", "lon_column"), ("--lat-column", "lat_column"), ("--describes", "describes") })
            {
                if (values.TryGetValue(option, out var value))
                {
                    query[name] = value;
                }
            }
            ImportMapping? mappingFromFile = null;
            if (values.TryGetValue("--mapping", out var mapping))
            {
                if (File.Exists(mapping))
                {
                    if (!ImportApi.TryParseMapping(await File.ReadAllTextAsync(mapping), out mappingFromFile, out var error))
                    {
                        return Fail($"The mapping file {mapping} is not valid: {error}");
                    }
                }
                else
                {
                    query["mapping"] = mapping;
                }
            }
            query["repair"] = flags.Contains("--repair") ? "true" : "false";
            var (options, errors) = await ImportApi.ReadOptionsAsync(new QueryCollection(query), db, TimeProvider.System, CancellationToken.None);
            if (errors.Count > 0)
            {
                return Fail(string.Join("\n", errors.Messages.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            }
            options = options! with { SkipBadRows = flags.Contains("--skip-bad-rows"), Mapping = mappingFromFile ?? options.Mapping };

            ImportActor actor;
            if (values.TryGetValue("--as", out var userName))
            {
                var editor = await Editor.LoadByNameAsync(userName, db, CancellationToken.None);
                if (editor is null)
                {
                    return Fail($"No active account is called '{userName}' (see: users list).");
                }
                actor = new ImportActor(editor.UserName, editor);
            }
            else
            {
                actor = new ImportActor($"{Environment.UserName} (command line)", null);
            }

            var apply = flags.Contains("--apply");
            var progress = new ProgressLine(Console.Error);
            ImportReport report;
            try
            {
                var limits = ImportLimits.FromConfiguration(app.Configuration);
                report = await ImportBudget.RunAsync(limits, Path.GetFileName(file), token => new ImportRunner(db, TimeProvider.System, limits).RunAsync(
                    Path.GetFullPath(file), Path.GetFileName(file), options, actor, Guid.NewGuid(), apply, progress, token), CancellationToken.None);
            }
            catch (ImportFileException e)
            {
                progress.End();
                return Fail(e.Title is null ? $"The file cannot be imported: {e.Message}" : $"{e.Title} {Path.GetFileName(file)}: {e.Message}");
            }
            progress.End();
            PrintSummary(report);
            if (values.TryGetValue("--report", out var reportPath))
            {
                await File.WriteAllTextAsync(reportPath, reportPath.EndsWith(".html", StringComparison.OrdinalIgnoreCase)
                    ? ImportReportPage.Render(report)
                    : JsonSerializer.Serialize(report, ImportApi.ReportJson));
                Console.WriteLine($"Report written to {reportPath}.");
            }
            return report.RowsWithProblems > 0 && !(apply && report.Applied) ? 1 : 0;
        }
        finally
        {
            if (app.Services.GetService<LocalPostgisCluster>() is { } cluster)
            {
                await cluster.StopAsync();
            }
        }
    }

    private static void PrintSummary(ImportReport report)
    {
        Console.WriteLine($"{report.FileName}: {report.Format}{(report.Layer is null ? "" : $", layer {report.Layer}")}, {report.Crs} ({report.CrsSource}), encoding {report.Encoding ?? "—"}");
        foreach (var note in report.Notes)
        {
            Console.WriteLine($"note: {note}");
        }
        Console.WriteLine("mapping: " + string.Join(", ", report.Mapping.Select(m => $"{m.Key} → {m.Value}")));
        if (report.UnmappedColumns.Count > 0)
        {
            Console.WriteLine("unmapped columns (not imported): " + string.Join(", ", report.UnmappedColumns));
        }
        foreach (var problem in report.Problems.Take(30))
        {
            Console.WriteLine($"row {problem.Row}, {problem.Field}{(problem.Value is null ? "" : $" = '{problem.Value}'")}: {problem.Reason}");
        }
        if (report.ProblemsTotal > 30)
        {
            Console.WriteLine($"… and {report.ProblemsTotal - 30} more problems (--report FILE writes them all).");
        }
        foreach (var repair in report.Repairs.Take(30))
        {
            Console.WriteLine($"row {repair.Row} ({repair.Code}): outline repaired ({repair.Reason})");
        }
        Console.WriteLine(report.Outcome);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.RowsRead:N0} rows in {report.Seconds:0.0} s."));
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }

    /// <summary>A progress line redrawn in place at most ten times a second: rows read, rows with problems, rate.</summary>
    private sealed class ProgressLine(TextWriter writer) : IProgress<ImportProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _drawn = TimeSpan.FromSeconds(-1);
        private int _length;

        public void Report(ImportProgress value)
        {
            var now = _clock.Elapsed;
            if (now - _drawn < TimeSpan.FromSeconds(0.1))
            {
                return;
            }
            _drawn = now;
            var rate = now.TotalSeconds > 0 ? value.RowsRead / now.TotalSeconds : 0;
            var line = string.Create(CultureInfo.InvariantCulture, $"rows {value.RowsRead,10:N0}  with problems {value.RowsWithProblems,8:N0}  {rate,8:N0} rows/s  {now.TotalSeconds,6:0.0} s");
            writer.Write("\r" + line.PadRight(_length));
            _length = line.Length;
        }

        public void End()
        {
            if (_length > 0)
            {
                writer.WriteLine();
            }
        }
    }
}
