using static SettlementMap.Tests.Ogc.Cql2.Cql2TestQueryables;

namespace SettlementMap.Tests.Ogc.Cql2;

/// <summary>Whatever a filter holds, its text reaches PostgreSQL only as parameter values.</summary>
public sealed class Cql2InjectionTests
{
    [Theory]
    [InlineData("name_latn = 'x''; DROP TABLE settlements; --'", "(s.name_latn = @f0)", "x'; DROP TABLE settlements; --")]
    [InlineData("name_latn = 'a'' OR ''1''=''1'", "(s.name_latn = @f0)", "a' OR '1'='1")]
    [InlineData("name_latn LIKE '%'' OR 1=1 --'", @"(s.name_latn LIKE @f0 ESCAPE '\')", "%' OR 1=1 --")]
    [InlineData("name_latn = '\\'' OR 1=1 --'", "(s.name_latn = @f0)", "\\' OR 1=1 --")]
    [InlineData("name_latn = '$$; DROP TABLE x; $$'", "(s.name_latn = @f0)", "$$; DROP TABLE x; $$")]
    [InlineData("name_latn = '@f1'", "(s.name_latn = @f0)", "@f1")]
    [InlineData("water_supply IN ('a''); DELETE FROM settlements; --')", "(s.water_supply IN (@f0))", "a'); DELETE FROM settlements; --")]
    [InlineData("name_latn = '*/ SELECT pg_sleep(10) /*'", "(s.name_latn = @f0)", "*/ SELECT pg_sleep(10) /*")]
    public void Quotes_and_sql_inside_strings_travel_only_as_a_parameter_value(string filter, string sql, string value)
    {
        var translation = Translate(filter);
        Assert.Equal(sql, translation.Sql);
        Assert.Equal(value, Assert.Single(translation.Parameters).Value);
        Assert.Matches(SqlWhitelist, translation.Sql);
        Assert.DoesNotContain("DROP", translation.Sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DELETE", translation.Sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("--", translation.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("pg_sleep", translation.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wkt_literal_is_rewritten_from_its_numbers_so_nothing_else_in_it_reaches_the_database()
    {
        var translation = Translate("S_INTERSECTS(geometry, POINT(21.90 +43.3e0))");
        Assert.Equal("(ST_Intersects(s.geom, ST_GeomFromText(@f0, 4326)))", translation.Sql);
        Assert.Equal("POINT (21.9 43.3)", Assert.Single(translation.Parameters).Value);
    }

    [Theory]
    [InlineData("\"name_latn; DROP TABLE x\" = 'a'", "unknown property 'name_latn; DROP TABLE x'", 0)]
    [InlineData("\"s.name_latn\" = 'a'", "unknown property 's.name_latn'", 0)]
    [InlineData("\"name_latn\"\" = 'a'", "unclosed property name", 0)]
    [InlineData("name_latn = 'a' OR 1=1", "a comparison needs a property on at least one side; comparing two values (such as 1=1) is not allowed", 19)]
    [InlineData("name_latn = 'a' OR 'x' = 'x'", "a comparison needs a property on at least one side", 19)]
    [InlineData("name_latn = 'a' OR TRUE = TRUE", "a comparison needs a property on at least one side", 19)]
    [InlineData("name_latn = 'a' -- comment", "unexpected character '-'", 16)]
    [InlineData("name_latn = 'a' /* comment */", "unexpected character '/'", 16)]
    [InlineData("name_latn = 'a'; DROP TABLE settlements; --", "unexpected character ';'", 15)]
    [InlineData("name_latn = 'a' UNION SELECT 1", "expected AND, OR or the end of the filter", 16)]
    [InlineData("name_latn = E'\\x27'", "unknown property 'E'", 12)]
    [InlineData("name_latn = $$x$$", "unexpected character '$'", 12)]
    [InlineData("name_latn = `a`", "unexpected character '`'", 12)]
    [InlineData("name_latn = \u2019a\u2019", "unexpected character '\u2019'", 12)]
    [InlineData("name_latn::text = 'a'", "unexpected character ':'", 9)]
    [InlineData("s.name_latn = 'a'", "unexpected character '.'", 1)]
    [InlineData("pg_sleep(10) = 1", "the function 'pg_sleep' is not supported", 0)]
    [InlineData("households = 1; SELECT 1", "unexpected character ';'", 14)]
    [InlineData("households = (SELECT 1)", "expected a value or a property, found '('", 13)]
    [InlineData("S_INTERSECTS(geometry, POINT(21 43)); DROP TABLE x; --", "unexpected character ';'", 36)]
    [InlineData("S_INTERSECTS(geometry, ST_GeomFromText('POINT(0 0)'))", "the function 'ST_GeomFromText' is not supported here", 23)]
    [InlineData("name_latn LIKE 'a' ESCAPE '!'", "expected AND, OR or the end of the filter", 19)]
    public void Sql_outside_strings_is_refused(string filter, string hint, int position)
    {
        var (error, at) = Fail(filter);
        Assert.Contains(hint, error, StringComparison.Ordinal);
        Assert.Equal(position, at);
    }

    [Fact]
    public void Property_names_map_only_to_the_queryables_expressions_never_to_the_request_text()
    {
        // A dictionary that ignores case still yields our expression, not the name as written.
        var ignoringCase = new Dictionary<string, Web.Features.Ogc.Cql2.Cql2Queryable>(All, StringComparer.OrdinalIgnoreCase);
        Assert.True(Web.Features.Ogc.Cql2.Cql2Text.TryTranslate("NAME_LATN = 'a' AND \"Households\" > 1", ignoringCase, Prefix, out var translation, out _, out _));
        Assert.Equal("(s.name_latn = @f0 AND s.households > @f1)", translation.Sql);
        Assert.DoesNotContain("NAME_LATN", translation.Sql, StringComparison.Ordinal);
    }
}
