using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Web.Features.Import;

/// <summary>An outline that was invalid and was repaired with ST_MakeValid because the user asked.</summary>
public sealed record RowRepair(long Row, string? Code, string Reason);

/// <summary>Where a row of a dated import goes: the settlement's current state, or its history (its current version is newer).</summary>
public sealed record RowPlacement(long Row, string? Code, string Becomes);

/// <summary>What a dry run found or an apply did, row by row; the JSON the API returns and the HTML page shows.</summary>
public sealed class ImportReport
{
    /// <summary>At most this many problems are listed; ProblemsTotal counts them all.</summary>
    public const int MaxListedProblems = 5000;

    public Guid Id { get; set; }
    public required string FileName { get; set; }
    public required string Format { get; set; }
    public string? Layer { get; set; }
    public string? Encoding { get; set; }
    /// <summary>The CRS the coordinates were read in, e.g. EPSG:3909.</summary>
    public string? Crs { get; set; }
    /// <summary>Where the CRS came from: "file", "user" or "default" (GeoJSON and CSV without one: WGS 84 lon/lat).</summary>
    public string? CrsSource { get; set; }
    public List<string> Notes { get; } = [];
    public Dictionary<string, string> Mapping { get; set; } = [];
    public List<string> UnmappedColumns { get; set; } = [];
    public bool Repair { get; set; }
    public bool DryRun { get; set; }
    public bool Applied { get; set; }
    public bool SkipBadRows { get; set; }
    public long RowsRead { get; set; }
    public long RowsWithProblems { get; set; }
    /// <summary>With a dry run: what apply would do to the rows without problems.</summary>
    public long Created { get; set; }
    public long Updated { get; set; }
    public long Unchanged { get; set; }
    /// <summary>The day the data describes (a dated survey); null: the import is dated now.</summary>
    public DateOnly? Describes { get; set; }
    /// <summary>Rows of a dated import that go into history, not into the current state (a newer version exists).</summary>
    public long History { get; set; }
    /// <summary>With a dated import: per good row, whether it becomes the current state or history (at most MaxListedProblems).</summary>
    public List<RowPlacement> Placements { get; } = [];
    /// <summary>A measures import: per good row, what apply does ("create", "update", "unchanged") to which measure, by its title (a dry run has no ids; at most MaxListedProblems).</summary>
    public List<RowPlacement> Actions { get; } = [];
    public long ProblemsTotal { get; set; }
    public List<RowProblem> Problems { get; } = [];
    public List<RowRepair> Repairs { get; } = [];
    public string? Outcome { get; set; }
    public double Seconds { get; set; }

    public const string BecomesCurrent = "current";
    public const string BecomesHistory = "history";

    /// <summary>Records where a row of a dated import goes (nothing for an undated one: everything is current).</summary>
    public void Place(long row, string? code, string becomes)
    {
        if (Describes is not null && Placements.Count < MaxListedProblems)
        {
            Placements.Add(new RowPlacement(row, code, becomes));
        }
    }

    public void Add(RowProblem problem)
    {
        ProblemsTotal++;
        if (Problems.Count < MaxListedProblems)
        {
            // The value as written (also quoted in the reason) may hold what the stored report (jsonb) cannot: shown as U+FFFD.
            Problems.Add(problem with
            {
                Value = problem.Value is null ? null : SettlementRules.Printable(problem.Value),
                Reason = SettlementRules.Printable(problem.Reason),
            });
        }
    }
}

/// <summary>How far a run is, for progress bars: rows read so far.</summary>
public readonly record struct ImportProgress(long RowsRead, long RowsWithProblems);
