using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace SettlementMap.Web.Data;

/// <summary>
/// The one mapping between enum members and their stored/served text: snake_case, the same
/// policy System.Text.Json uses for the API, so the database, GeoJSON and query strings agree.
/// </summary>
public static class EnumText
{
    private static readonly ConcurrentDictionary<Type, (Dictionary<string, object> ByText, Dictionary<object, string> ByValue)> Maps = new();

    public static string ToText<TEnum>(TEnum value) where TEnum : struct, Enum => Map(typeof(TEnum)).ByValue[value];

    /// <summary>The text of a boxed enum member, for code that holds members of several enums.</summary>
    public static string ToText(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Map(value.GetType()).ByValue[value];
    }

    /// <summary>The member of <paramref name="enumType"/> that <paramref name="text"/> names, boxed.</summary>
    public static object Parse(Type enumType, string text) =>
        Map(enumType).ByText.TryGetValue(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not one of {string.Join(", ", Values(enumType))}.");

    public static TEnum Parse<TEnum>(string text) where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not one of {string.Join(", ", Values<TEnum>())}.");

    public static bool TryParse<TEnum>(string? text, [NotNullWhen(true)] out TEnum value) where TEnum : struct, Enum
    {
        if (text is not null && Map(typeof(TEnum)).ByText.TryGetValue(text, out var boxed))
        {
            value = (TEnum)boxed;
            return true;
        }
        value = default;
        return false;
    }

    public static IReadOnlyList<string> Values<TEnum>() where TEnum : struct, Enum => Values(typeof(TEnum));

    public static IReadOnlyList<string> Values(Type enumType) => [.. Map(enumType).ByValue.Values];

    private static (Dictionary<string, object> ByText, Dictionary<object, string> ByValue) Map(Type enumType) =>
        Maps.GetOrAdd(enumType, static t =>
        {
            var byText = new Dictionary<string, object>(StringComparer.Ordinal);
            var byValue = new Dictionary<object, string>();
            foreach (var value in Enum.GetValues(t))
            {
                var text = JsonNamingPolicy.SnakeCaseLower.ConvertName(Enum.GetName(t, value)!);
                byText[text] = value;
                byValue[value] = text;
            }
            return (byText, byValue);
        });
}
