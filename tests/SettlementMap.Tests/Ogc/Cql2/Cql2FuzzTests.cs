using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NpgsqlTypes;
using SettlementMap.Web.Features.Ogc.Cql2;
using Xunit.Abstractions;
using static SettlementMap.Tests.Ogc.Cql2.Cql2TestQueryables;

namespace SettlementMap.Tests.Ogc.Cql2;

/// <summary>
/// Random and mutated filters from a fixed seed: the translator never throws, fails with a position
/// inside the text, and whatever it accepts is SQL made only of whitelisted pieces.
/// </summary>
public sealed partial class Cql2FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20_260_611;
    private const int RandomCases = 10_000;
    private const int MutationCases = 12_000;

    private static readonly string[] ValidFilters =
    [
        "name_latn = 'Niš'",
        "estimated_inhabitants > 500",
        "100 <= estimated_inhabitants",
        "households < estimated_inhabitants",
        "substandard_share_pct >= -1.5e1",
        "data_collected_on >= DATE('2020-01-31')",
        "has_plan = TRUE",
        "FALSE",
        "water_supply IN ('none', 'wells', 'unknown')",
        "water_supply NOT IN ('network')",
        "estimated_inhabitants BETWEEN 100 AND 500",
        "substandard_share_pct NOT BETWEEN 10 AND 20.5",
        "name_latn LIKE 'Bel%'",
        "name_cyrl NOT LIKE '_\\%a\\\\'",
        "data_collected_on IS NULL",
        "geometry IS NOT NULL",
        "S_INTERSECTS(geometry, BBOX(21.8, 43.28, 22.0, 43.36))",
        "S_INTERSECTS(geometry, POINT(21.9 43.32))",
        "S_INTERSECTS(LINESTRING(21 43, 22 44, 22.5 44), geometry)",
        "S_INTERSECTS(geometry, POLYGON((21 43, 22 43, 22 44, 21 44, 21 43), (21.2 43.2, 21.2 43.4, 21.4 43.4, 21.2 43.2)))",
        "S_INTERSECTS(geometry, MULTIPOLYGON(((21 43, 22 43, 22 44, 21 43)), ((20 45, 20.5 45, 20.5 45.5, 20 45))))",
        "name_latn = 'a' OR name_latn = 'b' AND estimated_inhabitants > 5",
        "(name_latn = 'a' OR name_latn = 'b') AND NOT estimated_inhabitants > 5",
        "NOT (flood_zone = 'yes' AND (households = 1 OR (households = 2 AND NOT (name_cyrl = 'б'))))",
        "\"name_latn\" = 'O''Brien' and \"households\" <> 3",
        "name_latn = 'x''; DROP TABLE settlements; --'",
        "area_m2 > 1000 AND area_m2 < 1e9 OR TRUE",
        "data_collected_on IN (DATE('2020-01-01'), DATE('2024-02-29')) OR data_collected_on NOT BETWEEN DATE('2000-01-01') AND DATE('2030-01-01')",
        "estimated_inhabitants IN (1, 2.5, households) AND S_INTERSECTS(geometry, BBOX(-180, -90, 180, 90))",
        "not not (((households = .5)))",
    ];

    private static readonly string[] Tokens =
    [
        "name_latn", "name_cyrl", "estimated_inhabitants", "households", "substandard_share_pct", "area_m2", "data_collected_on",
        "water_supply", "flood_zone", "has_plan", "geometry", "\"name_latn\"", "\"geometry\"", "nome", "\"x; DROP TABLE y\"", "\"", "\"\"",
        "AND", "OR", "NOT", "and", "or", "not", "IN", "BETWEEN", "LIKE", "IS", "NULL", "TRUE", "FALSE", "true", "EMPTY", "Z",
        "DATE", "DATE('2020-01-01')", "DATE('2020-02-30')", "TIMESTAMP('2020-01-01T00:00:00Z')", "INTERVAL", "CASEI",
        "S_INTERSECTS", "S_WITHIN", "BBOX", "POINT", "LINESTRING", "POLYGON", "MULTIPOLYGON", "MULTIPOINT", "BBOX(0,0,1,1)",
        "POINT(21.9 43.3)", "POLYGON((0 0, 1 0, 1 1, 0 0))", "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))",
        "'a'", "'x''y'", "'%'", "'\\'", "''", "'", "'Niš'", "'; DROP TABLE settlements; --'",
        "0", "1", "-2.5", "1e3", ".5", "5.", "1e", "+7", "-", "1e999999", "12345678901234567890123456789012345", "200", "-91", "43.3",
        "=", "<>", "<", "<=", ">", ">=", "!=", "==", "(", ")", "(", ")", ",", ",", ";", "--", "/*", "*/", "$$", "@f0", "::", ".", "*", "\\",
        " ", " ", " ", "\t", "\n", "\0", "\u0007", "\ud800", "\udc00", "😀", "š", "ß", "\u00a0", "\u2028", "\uffff",
    ];

    private const string ReplacementCharacters = "()',\"=<> 0123456789.-eE_%\\aZ";

    [GeneratedRegex(@"@f(\d+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterReference();

    [Fact]
    public void The_seed_filters_all_translate()
    {
        foreach (var filter in ValidFilters)
        {
            Assert.Matches(SqlWhitelist, Translate(filter).Sql);
        }
    }

    [Fact]
    public void Random_and_mutated_filters_never_throw_and_only_ever_yield_whitelisted_sql()
    {
        var random = new Random(Seed);
        var stopwatch = Stopwatch.StartNew();
        var (accepted, refused) = (0, 0);
        var cases = Enumerable.Range(0, RandomCases).Select(_ => RandomFilter(random))
            .Concat(Enumerable.Range(0, MutationCases).Select(_ => Mutate(random, ValidFilters[random.Next(ValidFilters.Length)])))
            .Append(new string('(', Cql2Text.MaxLength))
            .Append(string.Concat(Enumerable.Repeat("NOT ", Cql2Text.MaxLength / 4)))
            .Append(new string('x', Cql2Text.MaxLength + 1))
            .Append(string.Join(" OR ", Enumerable.Repeat("households = 1", 1000)))
            .Append(null);
        foreach (var filter in cases)
        {
            if (Check(filter))
            {
                accepted++;
            }
            else
            {
                refused++;
            }
        }
        output.WriteLine($"{accepted + refused} filters ({accepted} accepted, {refused} refused) in {stopwatch.ElapsedMilliseconds} ms");
        Assert.True(accepted + refused >= 20_000);
        Assert.True(accepted >= 1_000, $"only {accepted} filters were accepted: the mutations hardly reach the translation");
        Assert.True(refused >= 10_000, $"only {refused} filters were refused");
    }

    /// <summary>True when the filter was translated; asserts the contract either way.</summary>
    private static bool Check(string? filter)
    {
        Cql2Translation? translation = null;
        string? error = null;
        int? position = null;
        var ok = false;
        var thrown = Record.Exception(() => ok = Cql2Text.TryTranslate(filter, All, Prefix, out translation, out error, out position));
        Assert.True(thrown is null, $"TryTranslate threw on {Show(filter)}: {thrown}");
        if (!ok)
        {
            Assert.Null(translation);
            Assert.False(string.IsNullOrEmpty(error), $"no error for {Show(filter)}");
            Assert.NotNull(position);
            Assert.InRange(position.Value, 0, filter?.Length ?? 0);
            Assert.StartsWith($"at character {position}: ", error, StringComparison.Ordinal);
            Assert.True(error.Length < 500, $"the message for {Show(filter)} echoes too much of it: {error}");
            return false;
        }
        Assert.NotNull(translation);
        Assert.Null(error);
        Assert.Null(position);
        var sql = translation.Sql;
        Assert.True(SqlWhitelist.IsMatch(sql), $"{Show(filter)} gave SQL outside the whitelist: {sql}");
        Assert.StartsWith("(", sql, StringComparison.Ordinal);
        Assert.EndsWith(")", sql, StringComparison.Ordinal);
        // Every parameter is referenced exactly once, in order, and carries an explicit type matching its value.
        var references = ParameterReference().Matches(sql).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, translation.Parameters.Count), references);
        for (var i = 0; i < translation.Parameters.Count; i++)
        {
            var parameter = translation.Parameters[i];
            Assert.Equal($"{Prefix}{i}", parameter.ParameterName);
            var expectedType = parameter.Value switch
            {
                string => NpgsqlDbType.Text,
                long => NpgsqlDbType.Bigint,
                decimal => NpgsqlDbType.Numeric,
                double => NpgsqlDbType.Double,
                DateOnly => NpgsqlDbType.Date,
                bool => NpgsqlDbType.Boolean,
                var other => throw new InvalidOperationException($"unexpected parameter value {other?.GetType().Name ?? "null"}"),
            };
            Assert.Equal(expectedType, parameter.NpgsqlDbType);
        }
        return true;
    }

    private static string RandomFilter(Random random)
    {
        var builder = new StringBuilder();
        var count = random.Next(1, 30);
        for (var i = 0; i < count; i++)
        {
            builder.Append(Tokens[random.Next(Tokens.Length)]);
            if (random.Next(3) > 0)
            {
                builder.Append(' ');
            }
        }
        return builder.ToString();
    }

    private static string Mutate(Random random, string filter)
    {
        var text = new StringBuilder(filter);
        var mutations = random.Next(3) == 0 ? random.Next(2, 5) : 1;
        for (var m = 0; m < mutations; m++)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(9))
            {
                case 7: // combine with another valid filter, or negate
                    var other = ValidFilters[random.Next(ValidFilters.Length)];
                    var combined = random.Next(3) switch
                    {
                        0 => $"({text}) AND {other}",
                        1 => $"{other} OR {text}",
                        _ => $"NOT ({text})",
                    };
                    text.Clear().Append(combined);
                    break;
                case 8: // change the case of a letter
                    if (at < text.Length)
                    {
                        text[at] = char.IsUpper(text[at]) ? char.ToLowerInvariant(text[at]) : char.ToUpperInvariant(text[at]);
                    }
                    break;
                case 0: // insert a character from the filters' own alphabet or a stray one
                    text.Insert(at, random.Next(2) == 0 ? filter[random.Next(filter.Length)] : Tokens[random.Next(Tokens.Length)][0]);
                    break;
                case 1: // delete a few characters
                    if (at < text.Length)
                    {
                        text.Remove(at, Math.Min(text.Length - at, random.Next(1, 4)));
                    }
                    break;
                case 2: // replace a character
                    if (at < text.Length)
                    {
                        text[at] = ReplacementCharacters[random.Next(ReplacementCharacters.Length)];
                    }
                    break;
                case 3: // insert a whole token
                    text.Insert(at, " " + Tokens[random.Next(Tokens.Length)] + " ");
                    break;
                case 4: // duplicate a stretch (a token, a parenthesis group, a coordinate …)
                    var start = random.Next(text.Length + 1);
                    var length = random.Next(0, Math.Min(12, text.Length - start) + 1);
                    text.Insert(at, text.ToString(start, length));
                    break;
                case 5: // cut the end off
                    text.Length = at;
                    break;
                default: // swap the two halves around a point
                    var split = text.ToString();
                    text.Clear().Append(split[at..]).Append(' ').Append(split[..at]);
                    break;
            }
        }
        return text.ToString();
    }

    private static string Show(string? filter) =>
        filter is null ? "null" : "\"" + string.Concat(filter.Select(c => c < ' ' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString())) + "\"";
}
