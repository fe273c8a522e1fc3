using System.Globalization;

namespace SettlementMap.Bench;

/// <summary>
/// The benchmark's C# side: bench/run.sh calls each command and bench/RESULTS.md is written by
/// "report". (A class, not top-level statements: the web project's Program is referenced here.)
/// </summary>
public static class Cli
{
    private const string Usage = """
        SettlementMap.Bench COMMAND (run by bench/run.sh; each writes its figures into DIR/figures.tsv)
          cluster                      start (or find) the local cluster .data/pg; prints its port, then the app's connection string with {db}
          layer-sql                    the full settlements layer's SQL, as the endpoint builds it with no filter
          workload CONNECTION DIR      city-zoom bboxes and tiles at z8/z12/z14 that hold settlements (DIR/*.paths, for wrk)
          stream-vs-entities CONNECTION LABEL RUNS DIR
                                       the layer's streamed GeoJSON against EF Core entities + GeoJSON4STJ, in-process
          queries CONNECTION DIR       statements per request and EXPLAIN (ANALYZE, BUFFERS) of the main queries, in-process
          map URL DIR [CONNECTION]     frame intervals of the map in headless Chromium while panning and zooming
                                       (with CONNECTION, also after an edit of one settlement in view)
          report DIR OUTPUT            writes the results page
        """;

    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return args switch
            {
                ["cluster"] => await LocalCluster.StartAsync(),
                ["layer-sql"] => LayerQuery.Print(),
                ["workload", var connection, var dir] => await Workload.WriteAsync(connection, dir),
                ["stream-vs-entities", var connection, var label, var runs, var dir] =>
                    await StreamVsEntities.RunAsync(connection, label, int.Parse(runs, CultureInfo.InvariantCulture), dir),
                ["queries", var connection, var dir] => await QueryAudit.RunAsync(connection, dir),
                ["map", var url, var dir] => await MapResponsiveness.RunAsync(new Uri(url), dir, null),
                ["map", var url, var dir, var connection] => await MapResponsiveness.RunAsync(new Uri(url), dir, connection),
                ["report", var dir, var output] => Report.Write(dir, output),
                _ => Fail(Usage),
            };
        }
        catch (BenchException e)
        {
            return Fail(e.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
