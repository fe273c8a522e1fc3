using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace SettlementMap.Web.Features.Import.Mapping;

/// <summary>A saved mapping that cannot be used, with every reason in plain words.</summary>
public sealed class ImportMappingException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// A mapping saved as JSON and read back: <c>{"columns": {"Naziv": "name", "Voda": "water_supply"}}</c>.
/// A column whose target is null or "" is left unmapped on purpose. Targets are the names of
/// <see cref="ImportTargets.All"/>, in any case.
/// </summary>
public static class ImportMappings
{
    private const string ColumnsMember = "columns";

    private static readonly JsonSerializerOptions Written = new()
    {
        WriteIndented = true,
        // Column names in Cyrillic stay readable in the saved file.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static string ToJson(ImportMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var columns = new JsonObject();
        foreach (var (column, target) in mapping.Columns)
        {
            columns[column] = target;
        }
        return new JsonObject { [ColumnsMember] = columns }.ToJsonString(Written);
    }

    /// <summary>Reads a saved mapping; throws <see cref="ImportMappingException"/> naming every problem.</summary>
    public static ImportMapping FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ImportMappingException([$"The mapping is not valid JSON: {e.Message}"]);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty(ColumnsMember, out var members)
                || members.ValueKind != JsonValueKind.Object)
            {
                throw new ImportMappingException(["A mapping is a JSON object with a \"columns\" object, such as {\"columns\": {\"Naziv\": \"name\"}}."]);
            }
            var errors = new List<string>();
            var columns = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in members.EnumerateObject())
            {
                if (!seen.Add(member.Name))
                {
                    errors.Add($"The column '{member.Name}' is given twice.");
                    continue;
                }
                switch (member.Value.ValueKind)
                {
                    case JsonValueKind.Null:
                        continue;
                    case JsonValueKind.String:
                        var target = member.Value.GetString()!.Trim();
                        if (target.Length > 0)
                        {
                            columns[member.Name] = ImportTargets.All.FirstOrDefault(t => string.Equals(t, target, StringComparison.OrdinalIgnoreCase)) ?? target;
                        }
                        break;
                    default:
                        errors.Add($"The target of column '{member.Name}' must be a target name or null.");
                        break;
                }
            }
            var mapping = new ImportMapping(columns);
            errors.AddRange(Check(mapping));
            return errors.Count == 0 ? mapping : throw new ImportMappingException(errors);
        }
    }

    /// <summary>What is wrong with a mapping, in plain words: unknown targets, a target fed by two columns. Empty when it can be used.</summary>
    public static IReadOnlyList<string> Check(ImportMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var errors = new List<string>();
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, target) in mapping.Columns)
        {
            if (!ImportTargets.IsTarget(target))
            {
                var guess = ColumnMatcher.Recognise(target);
                errors.Add($"Column '{column}' has the unknown target '{target}'"
                    + (guess is null ? "" : $" (did you mean '{guess}'?)")
                    + $"; valid targets: {string.Join(", ", ImportTargets.All)}.");
            }
            else if (!sources.TryAdd(target, column))
            {
                errors.Add($"Columns '{sources[target]}' and '{column}' both feed {target}; map one of them only.");
            }
        }
        return errors;
    }
}
