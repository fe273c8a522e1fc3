using SettlementMap.Web.Features.Ogc.Cql2;
using static SettlementMap.Tests.Ogc.Cql2.Cql2TestQueryables;

namespace SettlementMap.Tests.Ogc.Cql2;

/// <summary>Each malformed filter fails with a message that names the problem and the 0-based position where it is.</summary>
public sealed class Cql2ErrorTests
{
    private static void AssertFails(string? filter, string hint, int position)
    {
        var (error, at) = Fail(filter);
        Assert.Contains(hint, error, StringComparison.Ordinal);
        Assert.Equal(position, at);
    }

    [Theory]
    // Structure
    [InlineData("(name_latn = 'a'", "expected ')' to close the '(' at character 0, found the end of the filter", 16)]
    [InlineData("((name_latn = 'a') OR (households = 1)", "expected ')' to close the '(' at character 0", 38)]
    [InlineData("name_latn = 'a')", "')' has no matching '('", 15)]
    [InlineData("name_latn = 'a' garbage", "expected AND, OR or the end of the filter after the string 'a', found 'garbage'", 16)]
    [InlineData("households = 1 AND name_latn = 'a' households", "expected AND, OR or the end of the filter", 35)]
    [InlineData("name_latn = ", "expected a value or a property after '='", 12)]
    [InlineData("name_latn = 'a' AND", "expected a condition after AND", 19)]
    [InlineData("name_latn = 'a' OR OR households = 1", "expected a value or a property, found the keyword OR", 19)]
    [InlineData("name_latn", "expected a comparison (=, <>, <, <=, >, >=), IN, BETWEEN, LIKE or IS NULL after 'name_latn', found the end of the filter", 9)]
    [InlineData("name_latn NOT = 'a'", "expected IN, BETWEEN or LIKE after NOT", 14)]
    [InlineData("()", "expected a value or a property, found ')'", 1)]
    // Tokens
    [InlineData("name_latn = 'abc", "unclosed string: the ' at character 12 has no closing '", 12)]
    [InlineData("\"name_latn = 'a'", "unclosed property name", 0)]
    [InlineData("name_latn != 'a'", "write <> for 'not equal'", 10)]
    [InlineData("name_latn = 'a'; DROP TABLE x", "unexpected character ';'", 15)]
    [InlineData("estimated_inhabitants = 5abc", "malformed number", 25)]
    [InlineData("estimated_inhabitants = 1e", "the exponent has no digits", 25)]
    [InlineData("households = 1e999999999999", "is out of range", 13)]
    // Properties and types
    [InlineData("nome = 'a'", "unknown property 'nome'; the queryables are: area_m2, data_collected_on, estimated_inhabitants, flood_zone, geometry, has_plan, households, name_cyrl, name_latn, substandard_share_pct, water_supply", 0)]
    [InlineData("households = \"Name_Latn\"", "unknown property 'Name_Latn'", 13)]
    [InlineData("\"\" = 'a'", "empty property name", 0)]
    [InlineData("estimated_inhabitants = 'many'", "estimated_inhabitants is an integer: expected a number, found a string", 24)]
    [InlineData("name_latn = 1", "name_latn is text: expected a 'string', found a number", 12)]
    [InlineData("has_plan = 1", "has_plan is a boolean: expected TRUE or FALSE, found a number", 11)]
    [InlineData("name_latn = households", "cannot compare name_latn (text) with households (an integer)", 12)]
    [InlineData("data_collected_on = '2020-01-01'", "data_collected_on is a date: expected DATE('yyyy-mm-dd'), found a string", 20)]
    [InlineData("households > DATE('2020-01-01')", "households is an integer: expected a number, found a date", 13)]
    [InlineData("data_collected_on = DATE('2020-02-30')", "'2020-02-30' is not a date of the form 'yyyy-mm-dd'", 25)]
    [InlineData("data_collected_on = DATE('2020-1-3')", "is not a date", 25)]
    [InlineData("data_collected_on = TIMESTAMP('2020-01-01T00:00:00Z')", "TIMESTAMP literals are not supported", 20)]
    [InlineData("name_latn = NULL", "write property IS NULL", 12)]
    [InlineData("estimated_inhabitants LIKE '1%'", "LIKE needs a text property; estimated_inhabitants is an integer", 0)]
    [InlineData("name_latn LIKE households", "expected a 'pattern' string after LIKE", 15)]
    [InlineData("name_latn LIKE 'a\\'", "the LIKE pattern ends with the escape character", 15)]
    [InlineData("name_latn IS 'a'", "expected NULL after IS", 13)]
    [InlineData("'a' IS NULL", "IS NULL needs a property on its left, not a string", 0)]
    [InlineData("name_latn BETWEEN 'a' AND 'b'", "BETWEEN needs a number or date property; name_latn is text", 0)]
    [InlineData("estimated_inhabitants BETWEEN 1 OR 2", "expected AND between the two bounds of BETWEEN", 32)]
    [InlineData("households BETWEEN 1 AND 'x'", "households is an integer: expected a number, found a string", 25)]
    [InlineData("households IN ()", "expected a value or a property, found ')'", 15)]
    [InlineData("name_latn IN ('a', 'b'", "expected ',' or ')' in the IN list, found the end of the filter", 22)]
    [InlineData("name_latn IN ('a', 2)", "name_latn is text: expected a 'string', found a number", 19)]
    [InlineData("geometry IN (POINT(0 0))", "IN does not apply to the geometry geometry", 0)]
    [InlineData("1 = 1", "a comparison needs a property on at least one side", 0)]
    [InlineData("CASEI(name_latn) = 'a'", "the function 'CASEI' is not supported", 0)]
    // Spatial
    [InlineData("geometry = 'x'", "geometries cannot be compared", 0)]
    [InlineData("S_WITHIN(geometry, BBOX(0,0,1,1))", "the function 'S_WITHIN' is not supported", 0)]
    [InlineData("S_INTERSECTS(name_latn, BBOX(0,0,1,1))", "S_INTERSECTS needs a geometry property; name_latn is text", 13)]
    [InlineData("S_INTERSECTS(geometry, 'POINT(0 0)')", "S_INTERSECTS takes geometries", 23)]
    [InlineData("S_INTERSECTS(BBOX(0,0,1,1), POINT(0 0))", "S_INTERSECTS needs a geometry property on one side", 0)]
    [InlineData("S_INTERSECTS(geometry BBOX(0,0,1,1))", "expected ',' between the two geometries of S_INTERSECTS", 22)]
    [InlineData("S_INTERSECTS(geometry, BBOX(21.8, 43.28, 22.0))", "BBOX takes 4 numbers (minx, miny, maxx, maxy), found 3", 45)]
    [InlineData("S_INTERSECTS(geometry, BBOX(0, 0, 1, 1, 2, 3))", "BBOX takes 4 numbers (minx, miny, maxx, maxy); 3D boxes are not supported", 40)]
    [InlineData("S_INTERSECTS(geometry, BBOX(200, 0, 201, 1))", "longitude 200 is outside -180..180", 28)]
    [InlineData("S_INTERSECTS(geometry, BBOX(0, -91, 1, 1))", "latitude -91 is outside -90..90", 31)]
    [InlineData("S_INTERSECTS(geometry, BBOX(1, 0, 0, 1))", "BBOX maxx is less than minx", 34)]
    [InlineData("S_INTERSECTS(geometry, POLYGON((21 43, 22 43, 22 44, 21 43.5)))", "invalid POLYGON", 23)]
    [InlineData("S_INTERSECTS(geometry, POLYGON((21 43, 22 44, 22 43, 21 44, 21 43)))", "invalid POLYGON: Self-intersection", 23)]
    [InlineData("S_INTERSECTS(geometry, LINESTRING(0 0))", "invalid LINESTRING", 23)]
    [InlineData("S_INTERSECTS(geometry, POINT(21 43 100))", "expected ')' to close the POINT", 35)]
    [InlineData("S_INTERSECTS(geometry, LINESTRING(0 0 0, 1 1 1))", "a position is two numbers (lon lat)", 38)]
    [InlineData("S_INTERSECTS(geometry, POINT Z(0 0 0))", "only 2D coordinates", 29)]
    [InlineData("S_INTERSECTS(geometry, POINT(0, 0))", "expected a number (latitude) of a position, found ','", 30)]
    [InlineData("S_INTERSECTS(geometry, MULTIPOINT((0 0)))", "MULTIPOINT geometries are not supported", 23)]
    [InlineData("S_INTERSECTS(geometry, POLYGON(21 43, 22 43, 22 44, 21 43))", "expected '(' to start a position list of the POLYGON", 31)]
    public void A_malformed_filter_fails_with_a_hint_and_its_position(string filter, string hint, int position)
    {
        AssertFails(filter, hint, position);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\r\n ")]
    public void An_empty_filter_fails_at_character_zero(string? filter)
    {
        AssertFails(filter, "the filter is empty", 0);
    }

    [Fact]
    public void Thousands_of_open_parentheses_fail_at_the_first_level_too_deep_without_overflowing_the_stack()
    {
        AssertFails(new string('(', 8_000), "the filter nests deeper than 50 levels of parentheses and NOT", Cql2Text.MaxDepth);
        AssertFails(string.Concat(Enumerable.Repeat("NOT ", Cql2Text.MaxLength / 4)), "the filter nests deeper than 50 levels", 4 * Cql2Text.MaxDepth);
        AssertFails(string.Concat(Enumerable.Repeat("NOT (", 1_000)), "the filter nests deeper than 50 levels", 5 * (Cql2Text.MaxDepth / 2));
        // Ten thousand characters of them are over the length limit, which is checked first.
        AssertFails(new string('(', 10_000), "the filter is longer than 8192 characters", Cql2Text.MaxLength);
        AssertFails(new string('(', Cql2Text.MaxDepth + 1) + "households = 1" + new string(')', Cql2Text.MaxDepth + 1), "nests deeper", Cql2Text.MaxDepth);
    }

    [Fact]
    public void Characters_that_cannot_reach_postgresql_as_text_fail_where_they_are()
    {
        AssertFails("name_latn = 'a\0'", "the filter contains the character U+0000", 14);
        AssertFails("name_latn = '\ud800'", "the filter contains an unpaired surrogate U+D800", 13);
        AssertFails("name_latn = '\udc00\ud83d'", "unpaired surrogate U+DC00", 13);
        Assert.Equal("😀", Translate("name_latn = '😀'").Parameters[0].Value);
    }

    [Fact]
    public void A_filter_longer_than_the_limit_fails_at_the_limit()
    {
        var filter = "name_latn = '" + new string('a', Cql2Text.MaxLength) + "'";
        AssertFails(filter, "the filter is longer than 8192 characters", Cql2Text.MaxLength);
        var justFits = "name_latn = '" + new string('a', Cql2Text.MaxLength - 14) + "'";
        Assert.Equal(Cql2Text.MaxLength, justFits.Length);
        Assert.Single(Translate(justFits).Parameters);
    }

    [Fact]
    public void More_than_a_thousand_in_values_fail_at_the_first_one_too_many()
    {
        var head = "households IN (" + string.Join(", ", Enumerable.Range(0, Cql2Text.MaxInItems)) + ", ";
        AssertFails(head + "1000, 1001)", "an IN list may hold at most 1000 values", head.Length);
    }

    [Fact]
    public void The_error_message_quotes_request_text_shortened_and_with_control_characters_spelled_out()
    {
        var (error, _) = Fail("\"" + new string('x', 100) + "\u0007\" = 'a'");
        Assert.Contains("unknown property 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'", error, StringComparison.Ordinal);
        (error, _) = Fail("\"a\u0007b\" = 'a'");
        Assert.Contains("unknown property 'aU+0007b'", error, StringComparison.Ordinal);
    }
}
