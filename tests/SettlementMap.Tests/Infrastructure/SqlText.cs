using System.Collections;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Data;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>
/// For tests that assert the SQL a builder writes, as efcore.pg's do: the exact text, and each
/// parameter as "name type = value" (type: the generic parameter's, else its NpgsqlDbType).
/// </summary>
public static class SqlText
{
    public static List<NpgsqlParameter> NoParameters => [];

    public static List<string> Describe(IEnumerable<NpgsqlParameter> parameters) => [.. parameters.Select(Describe)];

    private static string Describe(NpgsqlParameter p)
    {
        var type = p.GetType().IsGenericType ? p.GetType().GetGenericArguments()[0].Name
            : p.NpgsqlDbType.HasFlag(NpgsqlDbType.Array) ? (p.NpgsqlDbType & ~NpgsqlDbType.Array) + "[]"
            : p.NpgsqlDbType.ToString();
        var value = p.Value switch
        {
            string or byte[] or null => Text(p.Value),
            IEnumerable items => "{" + string.Join(",", items.Cast<object?>().Select(Text)) + "}",
            var v => Text(v),
        };
        return $"{p.ParameterName} {type} = {value}";
    }

    private static string Text(object? value) => value switch
    {
        null => "null",
        DBNull => "NULL",
        byte[] bytes => "\\x" + Convert.ToHexString(bytes),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    /// <summary>A context that never connects: for ToQueryString().</summary>
    public static SettlementMapDbContext Context() =>
        new(new DbContextOptionsBuilder<SettlementMapDbContext>().UseNpgsql("Host=sql-text.invalid", o => o.UseNetTopologySuite()).Options);
}
