using System.Text.Json;
using Microsoft.Playwright;
using SettlementMap.Web;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// axe-core (npm devDependency, node_modules/axe-core) run on the page as it is now. Its source goes in
/// through Playwright's evaluate, which the page's Content-Security-Policy does not govern: the app's
/// policy stays as strict as it is.
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() =>
        File.ReadAllText(Path.Combine(ProjectPaths.Find().NodeModules, "axe-core", "axe.min.js")));

    /// <summary>The rules the page breaks, each with its impact ("minor" … "critical"), node count and a few of the nodes.</summary>
    public static async Task<IReadOnlyList<AxeViolation>> RunAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Source.Value);
        }
        var found = await page.EvaluateAsync<JsonElement>("""
            async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({
              id: v.id,
              impact: v.impact || 'minor',
              nodes: v.nodes.length,
              targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
            }))
            """);
        return [.. found.EnumerateArray().Select(v => new AxeViolation(
            v.GetProperty("id").GetString()!,
            v.GetProperty("impact").GetString()!,
            v.GetProperty("nodes").GetInt32(),
            [.. v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!)]))];
    }

    /// <summary>Violations grouped by impact: "critical", "serious", "moderate", "minor" → rule ids with their node counts.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<AxeViolation>> ByImpact(IEnumerable<AxeViolation> violations) =>
        violations.GroupBy(v => v.Impact).ToDictionary(g => g.Key, g => (IReadOnlyList<AxeViolation>)[.. g]);

    /// <summary>The serious and critical ones, which no page may have.</summary>
    public static IReadOnlyList<AxeViolation> Blocking(IEnumerable<AxeViolation> violations) =>
        [.. violations.Where(v => v.Impact is "serious" or "critical")];
}

public sealed record AxeViolation(string Id, string Impact, int Nodes, IReadOnlyList<string> Targets)
{
    public override string ToString() => $"{Id} ({Impact}, {Nodes} nodes: {string.Join(", ", Targets)})";
}
