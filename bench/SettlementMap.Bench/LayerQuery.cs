using SettlementMap.Web.Features.Layers;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Bench;

/// <summary>The settlements layer's SQL with no filter: what GET /api/layers/settlements runs for the benchmark's anonymous clients.</summary>
public static class LayerQuery
{
    /// <summary>
    /// No filter, as an anonymous visitor sees it under the default who-sees-what settings (the generated
    /// databases keep them): the public view, with small settlements generalised.
    /// </summary>
    public static SettlementFilter NoFilter { get; } =
        new(null, null, null, null, null, null, null, null, null, null, null, null, null, new Disclosure(DisclosurePolicy.Defaults, Viewer.Anonymous));

    public static int Print()
    {
        var (sql, parameters) = LayerSql.Settlements(NoFilter);
        if (parameters.Count != 0)
        {
            throw new BenchException($"The unfiltered layer query has {parameters.Count} parameter(s); psql cannot run it as it is.");
        }
        Console.WriteLine(sql + ";");
        return 0;
    }
}
