using System.Globalization;

namespace SettlementMap.Bench;

/// <summary>A failure the benchmark reports in one line (no stack trace).</summary>
public sealed class BenchException(string message) : Exception(message);

/// <summary>
/// DIR/figures.tsv: one "key TAB value" a line, appended by run.sh and by each command; a key
/// repeated is a series (the report takes its median).
/// </summary>
public static class Figures
{
    public static string PathIn(string directory) => Path.Combine(directory, "figures.tsv");

    public static void Add(string directory, string key, double value) =>
        Add(directory, key, value.ToString("0.###", CultureInfo.InvariantCulture));

    public static void Add(string directory, string key, string value) =>
        File.AppendAllText(PathIn(directory), $"{key}\t{value.Replace('\t', ' ').Replace('\n', ' ')}\n");

    public static Dictionary<string, List<string>> Read(string directory)
    {
        var figures = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(PathIn(directory)))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
            {
                continue;
            }
            var key = line[..tab];
            if (!figures.TryGetValue(key, out var values))
            {
                figures[key] = values = [];
            }
            values.Add(line[(tab + 1)..]);
        }
        return figures;
    }
}

public static class Stats
{
    /// <summary>The value at quantile q (0–1) of the sorted values, linearly interpolated.</summary>
    public static double Quantile(IReadOnlyCollection<double> values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }

    public static double Median(IReadOnlyCollection<double> values) => Quantile(values, 0.5);
}
