using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Features.Tiles;
// Prints TileSql's statement for a zoom, each disclosure, parameters inlined as $1 z, $2 x, $3 y.
var z = int.Parse(args[0]);
foreach (var (name, d) in new[] { ("admin", Disclosure.Everything), ("public", new Disclosure(DisclosurePolicy.Defaults, Viewer.Anonymous)) })
{
    var f = new SettlementFilter(null, null, null, null, null, null, null, null, null, null, null, null, null, d);
    var (sql, ps) = TileSql.Settlements(z, 0, 0, f);
    foreach (var p in ps.Where(p => p.ParameterName is not ("z" or "x" or "y")))
        sql = sql.Replace("@" + p.ParameterName, Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture));
    sql = sql.Replace("@z", "$1").Replace("@x", "$2").Replace("@y", "$3");
    Console.WriteLine($"{z}\t{name}\t{sql.ReplaceLineEndings(" ")}");
}
