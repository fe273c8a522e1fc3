using SettlementMap.Web.Features.Layers;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Bench;

/// <summary>The settlements layer's SQL with no filter: what GET /api/layers/settlements runs.</summary>
public static class LayerQuery
{
    public static SettlementFilter NoFilter { get; } = new(null, null, null, null, null, null, null, null, null, null, null, null, null);

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
