using System.Text.RegularExpressions;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Features.Tiles;

namespace SettlementMap.Web.Database;

/// <summary>
/// The <c>{{name}}</c> placeholders that database definition files (Features/*/Sql/*.sql) may hold,
/// each replaced by its text before the file is hashed and applied, so text generated in C# (such as a
/// column list) reaches the database through the same bookkeeping as the files themselves.
/// </summary>
public static partial class SqlDefinitionTokens
{
    /// <summary>Every token a definition file may use, by name.</summary>
    public static IReadOnlyDictionary<string, string> Values { get; } = new Dictionary<string, string>(SettlementPointColumns.Tokens, StringComparer.Ordinal)
    {
        ["settlement_layer_columns"] = SchemaSql.SelectList(Outputs.Layer),
    };

    /// <summary>The file's text with each <c>{{name}}</c> replaced from <paramref name="values"/>; an unknown name is an error.</summary>
    public static string Expand(string file, string sql, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Token().Replace(sql, match => values.TryGetValue(match.Groups[1].Value, out var text)
            ? text
            : throw new InvalidOperationException($"{file}: unknown token {match.Value} (SqlDefinitionTokens.Values names none such)."));
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Token();
}
