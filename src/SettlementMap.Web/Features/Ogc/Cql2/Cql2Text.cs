using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace SettlementMap.Web.Features.Ogc.Cql2;

/// <summary>The type of a queryable, which decides the literals it may be compared with.</summary>
#pragma warning disable CA1720 // The members are the JSON Schema / CQL2 type names a queryables document uses.
public enum Cql2Type { Text, Integer, Number, Date, Boolean, Geometry }
#pragma warning restore CA1720

/// <summary>A property a filter may name, the SQL expression it maps to (from our fixed list, never from the request), and its type.</summary>
public sealed record Cql2Queryable(string Name, string SqlExpression, Cql2Type Type);

/// <summary>
/// A filter as SQL: a boolean expression in parentheses made only of our keywords, the queryables'
/// SQL expressions and parameter names (<c>@prefixN</c>); every value of the filter is in <see cref="Parameters"/>.
/// </summary>
public sealed record Cql2Translation(string Sql, IReadOnlyList<NpgsqlParameter> Parameters);

/// <summary>A filter that cannot be translated; the message starts with "at character N:".</summary>
public sealed class Cql2Exception : Exception
{
    public Cql2Exception(int position, string message)
        : base($"at character {position}: {message}")
    {
        Position = position;
    }

    /// <summary>The 0-based character offset in the filter text where translation failed.</summary>
    public int Position { get; }
}

/// <summary>
/// A subset of CQL2 text (OGC API – Features Part 3) translated to a parameterised PostgreSQL/PostGIS
/// WHERE fragment: AND / OR / NOT and parentheses; = &lt;&gt; &lt; &lt;= &gt; &gt;=; [NOT] IN; [NOT] BETWEEN;
/// [NOT] LIKE; IS [NOT] NULL; S_INTERSECTS with BBOX or a WKT POINT, LINESTRING, POLYGON or
/// MULTIPOLYGON; string, number, TRUE/FALSE and DATE literals. Properties are looked up in the
/// queryables and type-checked against them.
/// </summary>
public static class Cql2Text
{
    public const int MaxLength = 8192;
    public const int MaxDepth = 50;
    public const int MaxInItems = 1000;
    public const int MaxCoordinates = 10_000;

    /// <summary>
    /// Returns true and the SQL (a boolean expression, wrapped in parentheses) or false with a message
    /// that says where it failed ("at character 17: expected ')' …") and that 0-based position.
    /// Never throws for any filter string; throws <see cref="ArgumentException"/> only for a
    /// parameter prefix that is not a plain identifier (a programming error).
    /// </summary>
    public static bool TryTranslate(
        string? filter,
        IReadOnlyDictionary<string, Cql2Queryable> queryables,
        string parameterPrefix,
        [NotNullWhen(true)] out Cql2Translation? translation,
        [NotNullWhen(false)] out string? error,
        [NotNullWhen(false)] out int? position)
    {
        try
        {
            translation = Translate(filter, queryables, parameterPrefix);
            error = null;
            position = null;
            return true;
        }
        catch (Cql2Exception exception)
        {
            translation = null;
            error = exception.Message;
            position = exception.Position;
            return false;
        }
    }

    /// <summary>As <see cref="TryTranslate"/>, throwing <see cref="Cql2Exception"/> for a filter that cannot be translated.</summary>
    public static Cql2Translation Translate(string? filter, IReadOnlyDictionary<string, Cql2Queryable> queryables, string parameterPrefix)
    {
        ArgumentNullException.ThrowIfNull(queryables);
        var prefix = CheckedPrefix(parameterPrefix);
        if (string.IsNullOrWhiteSpace(filter))
        {
            throw new Cql2Exception(0, "the filter is empty");
        }
        if (filter.Length > MaxLength)
        {
            throw new Cql2Exception(MaxLength, $"the filter is longer than {MaxLength} characters");
        }
        return new Cql2Parser(filter, queryables, prefix).Translate();
    }

    private static string CheckedPrefix(string parameterPrefix)
    {
        ArgumentNullException.ThrowIfNull(parameterPrefix);
        var prefix = parameterPrefix.StartsWith('@') ? parameterPrefix[1..] : parameterPrefix;
        var valid = prefix.Length > 0
            && (char.IsAsciiLetter(prefix[0]) || prefix[0] == '_')
            && prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        return valid ? prefix : throw new ArgumentException("The parameter prefix must be a plain identifier such as \"f\".", nameof(parameterPrefix));
    }
}
