using System.Globalization;
using SettlementMap.Web.Features.History;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Features.Tiles;
// Prints TileSql's statements for a zoom: each disclosure, now and as of 2021-01-01 ("-asof"), parameters other
// than z, x, y inlined, those as $1 z, $2 x, $3 y.
var z = int.Parse(args[0], CultureInfo.InvariantCulture);
var asOf = SettlementTime.Instant(SettlementTime.EndOf(new DateOnly(2021, 1, 1)));
foreach (var (name, d) in new[] { ("admin", Disclosure.Everything), ("public", new Disclosure(DisclosurePolicy.Defaults, Viewer.Anonymous)) })
{
    foreach (var (suffix, time) in new[] { ("", (SettlementTime?)null), ("-asof", asOf) })
    {
        var f = new SettlementFilter(null, null, null, null, null, null, null, null, null, null, null, null, null, d, time);
        var (sql, ps) = TileSql.Settlements(z, 0, 0, f);
        foreach (var p in ps.Where(p => p.ParameterName is not ("z" or "x" or "y")))
        {
            var value = p.Value is DateTimeOffset at ? $"'{at:O}'::timestamptz" : Convert.ToString(p.Value, CultureInfo.InvariantCulture);
            sql = sql.Replace("@" + p.ParameterName, value);
        }
        sql = sql.Replace("@z", "$1").Replace("@x", "$2").Replace("@y", "$3");
        Console.WriteLine($"{z}\t{name}{suffix}\t{sql.ReplaceLineEndings(" ")}");
    }
}
