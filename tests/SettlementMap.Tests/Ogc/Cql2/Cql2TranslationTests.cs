using Npgsql;
using NpgsqlTypes;
using SettlementMap.Web.Features.Ogc.Cql2;
using static SettlementMap.Tests.Ogc.Cql2.Cql2TestQueryables;

namespace SettlementMap.Tests.Ogc.Cql2;

public sealed class Cql2TranslationTests
{
    private static void AssertTranslation(string filter, string sql, params (NpgsqlDbType Type, object Value)[] parameters)
    {
        var translation = Translate(filter);
        Assert.Equal(sql, translation.Sql);
        Assert.Equal(parameters.Length, translation.Parameters.Count);
        for (var i = 0; i < parameters.Length; i++)
        {
            NpgsqlParameter actual = translation.Parameters[i];
            Assert.Equal($"f{i}", actual.ParameterName);
            Assert.Equal(parameters[i].Type, actual.NpgsqlDbType);
            Assert.Equal(parameters[i].Value, actual.Value);
            Assert.Equal(parameters[i].Value.GetType(), actual.Value!.GetType());
        }
        Assert.Matches(SqlWhitelist, translation.Sql);
    }

    [Fact]
    public void A_text_comparison_becomes_the_column_and_one_text_parameter()
    {
        AssertTranslation("name_latn = 'Niš'", "(s.name_latn = @f0)", (NpgsqlDbType.Text, "Niš"));
    }

    [Theory]
    [InlineData("=")]
    [InlineData("<>")]
    [InlineData("<")]
    [InlineData("<=")]
    [InlineData(">")]
    [InlineData(">=")]
    public void Every_comparison_operator_is_kept_and_an_integer_becomes_a_bigint(string op)
    {
        AssertTranslation($"estimated_inhabitants {op} 100", $"(s.estimated_inhabitants {op} @f0)", (NpgsqlDbType.Bigint, 100L));
        AssertTranslation($"estimated_inhabitants{op}100", $"(s.estimated_inhabitants {op} @f0)", (NpgsqlDbType.Bigint, 100L));
    }

    [Fact]
    public void The_literal_may_stand_on_the_left()
    {
        AssertTranslation("100 < estimated_inhabitants", "(@f0 < s.estimated_inhabitants)", (NpgsqlDbType.Bigint, 100L));
        AssertTranslation("'Niš' = name_latn", "(@f0 = s.name_latn)", (NpgsqlDbType.Text, "Niš"));
    }

    [Fact]
    public void Two_properties_of_compatible_types_compare_without_parameters()
    {
        AssertTranslation("households < estimated_inhabitants", "(s.households < s.estimated_inhabitants)");
        AssertTranslation("substandard_share_pct > households", "(s.substandard_share_pct > s.households)");
        AssertTranslation("name_cyrl <> name_latn", "(s.name_cyrl <> s.name_latn)");
    }

    [Theory]
    [InlineData("substandard_share_pct >= 12.5", "12.5")]
    [InlineData("substandard_share_pct >= 1.25e1", "12.5")]
    [InlineData("substandard_share_pct >= 125E-1", "12.5")]
    [InlineData("substandard_share_pct >= +12.5", "12.5")]
    [InlineData("substandard_share_pct >= -0.5", "-0.5")]
    [InlineData("substandard_share_pct >= .5", "0.5")]
    [InlineData("substandard_share_pct >= 5.", "5")]
    [InlineData("substandard_share_pct >= 40", "40")]
    public void Numbers_with_sign_decimals_and_exponent_become_numeric_parameters(string filter, string value)
    {
        AssertTranslation(filter, "(s.substandard_share_pct >= @f0)", (NpgsqlDbType.Numeric, decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void An_integer_property_takes_whole_numbers_as_bigint_and_fractions_as_numeric()
    {
        AssertTranslation("estimated_inhabitants > 1e3", "(s.estimated_inhabitants > @f0)", (NpgsqlDbType.Bigint, 1000L));
        AssertTranslation("estimated_inhabitants > -7", "(s.estimated_inhabitants > @f0)", (NpgsqlDbType.Bigint, -7L));
        AssertTranslation("estimated_inhabitants > 99.5", "(s.estimated_inhabitants > @f0)", (NpgsqlDbType.Numeric, 99.5m));
    }

    [Fact]
    public void A_date_literal_becomes_a_date_parameter()
    {
        AssertTranslation("data_collected_on >= DATE('2020-01-31')", "(s.data_collected_on >= @f0)", (NpgsqlDbType.Date, new DateOnly(2020, 1, 31)));
        AssertTranslation("data_collected_on < date ( '2016-02-29' )", "(s.data_collected_on < @f0)", (NpgsqlDbType.Date, new DateOnly(2016, 2, 29)));
    }

    [Fact]
    public void Boolean_literals_become_boolean_parameters_and_stand_alone_as_keywords()
    {
        AssertTranslation("has_plan = TRUE", "((s.planning_document = 'yes') = @f0)", (NpgsqlDbType.Boolean, true));
        AssertTranslation("has_plan <> false", "((s.planning_document = 'yes') <> @f0)", (NpgsqlDbType.Boolean, false));
        AssertTranslation("TRUE", "(TRUE)");
        AssertTranslation("false OR name_latn = 'a'", "(FALSE OR s.name_latn = @f0)", (NpgsqlDbType.Text, "a"));
    }

    [Fact]
    public void In_lists_get_one_parameter_per_value()
    {
        AssertTranslation("water_supply IN ('none', 'wells')", "(s.water_supply IN (@f0, @f1))", (NpgsqlDbType.Text, "none"), (NpgsqlDbType.Text, "wells"));
        AssertTranslation("water_supply NOT IN ('network')", "(s.water_supply NOT IN (@f0))", (NpgsqlDbType.Text, "network"));
        AssertTranslation("estimated_inhabitants in (1, 2.5, households)", "(s.estimated_inhabitants IN (@f0, @f1, s.households))",
            (NpgsqlDbType.Bigint, 1L), (NpgsqlDbType.Numeric, 2.5m));
        AssertTranslation("data_collected_on IN (DATE('2020-01-01'))", "(s.data_collected_on IN (@f0))", (NpgsqlDbType.Date, new DateOnly(2020, 1, 1)));
    }

    [Fact]
    public void A_thousand_in_values_are_accepted()
    {
        var values = string.Join(",", Enumerable.Range(0, Cql2Text.MaxInItems));
        var translation = Translate($"estimated_inhabitants IN ({values})");
        Assert.Equal(Cql2Text.MaxInItems, translation.Parameters.Count);
        Assert.EndsWith("@f999))", translation.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Between_keeps_its_bounds_in_order()
    {
        AssertTranslation("estimated_inhabitants BETWEEN 100 AND 500", "(s.estimated_inhabitants BETWEEN @f0 AND @f1)", (NpgsqlDbType.Bigint, 100L), (NpgsqlDbType.Bigint, 500L));
        AssertTranslation("substandard_share_pct NOT BETWEEN 10 AND 20.5", "(s.substandard_share_pct NOT BETWEEN @f0 AND @f1)", (NpgsqlDbType.Numeric, 10m), (NpgsqlDbType.Numeric, 20.5m));
        AssertTranslation("data_collected_on BETWEEN DATE('2018-01-01') AND DATE('2018-12-31')", "(s.data_collected_on BETWEEN @f0 AND @f1)",
            (NpgsqlDbType.Date, new DateOnly(2018, 1, 1)), (NpgsqlDbType.Date, new DateOnly(2018, 12, 31)));
    }

    [Fact]
    public void Between_binds_tighter_than_the_and_that_follows_it()
    {
        AssertTranslation("estimated_inhabitants BETWEEN 1 AND 2 AND name_latn = 'a'", "(s.estimated_inhabitants BETWEEN @f0 AND @f1 AND s.name_latn = @f2)",
            (NpgsqlDbType.Bigint, 1L), (NpgsqlDbType.Bigint, 2L), (NpgsqlDbType.Text, "a"));
    }

    [Fact]
    public void Like_passes_the_pattern_unchanged_with_backslash_as_the_escape()
    {
        AssertTranslation("name_latn LIKE 'Bel%'", @"(s.name_latn LIKE @f0 ESCAPE '\')", (NpgsqlDbType.Text, "Bel%"));
        AssertTranslation("name_latn NOT LIKE '_a\\%b\\\\'", @"(s.name_latn NOT LIKE @f0 ESCAPE '\')", (NpgsqlDbType.Text, @"_a\%b\\"));
    }

    [Fact]
    public void Is_null_and_is_not_null_need_no_parameters()
    {
        AssertTranslation("data_collected_on IS NULL", "(s.data_collected_on IS NULL)");
        AssertTranslation("geometry is not null", "(s.geom IS NOT NULL)");
    }

    [Fact]
    public void S_intersects_with_a_bbox_becomes_st_intersects_with_an_envelope_of_four_double_parameters()
    {
        AssertTranslation("S_INTERSECTS(geometry, BBOX(21.8, 43.28, 22.0, 43.36))",
            "(ST_Intersects(s.geom, ST_MakeEnvelope(@f0, @f1, @f2, @f3, 4326)))",
            (NpgsqlDbType.Double, 21.8), (NpgsqlDbType.Double, 43.28), (NpgsqlDbType.Double, 22.0), (NpgsqlDbType.Double, 43.36));
    }

    [Fact]
    public void S_intersects_with_wkt_sends_the_geometry_as_canonical_text()
    {
        AssertTranslation("s_intersects(geometry, POINT(21.9 43.32))", "(ST_Intersects(s.geom, ST_GeomFromText(@f0, 4326)))", (NpgsqlDbType.Text, "POINT (21.9 43.32)"));
        AssertTranslation("S_INTERSECTS(LINESTRING(21 43,22 44), geometry)", "(ST_Intersects(ST_GeomFromText(@f0, 4326), s.geom))", (NpgsqlDbType.Text, "LINESTRING (21 43, 22 44)"));
        AssertTranslation("S_INTERSECTS(geometry, POLYGON((21 43, 22 43, 22 44, 21 44, 21 43), (21.2 43.2, 21.2 43.4, 21.4 43.4, 21.2 43.2)))",
            "(ST_Intersects(s.geom, ST_GeomFromText(@f0, 4326)))",
            (NpgsqlDbType.Text, "POLYGON ((21 43, 22 43, 22 44, 21 44, 21 43), (21.2 43.2, 21.2 43.4, 21.4 43.4, 21.2 43.2))"));
        AssertTranslation("S_INTERSECTS(geometry, MultiPolygon(((21 43, 22 43, 22 44, 21 43)), ((20 45, 20.5 45, 20.5 45.5, 20 45))))",
            "(ST_Intersects(s.geom, ST_GeomFromText(@f0, 4326)))",
            (NpgsqlDbType.Text, "MULTIPOLYGON (((21 43, 22 43, 22 44, 21 43)), ((20 45, 20.5 45, 20.5 45.5, 20 45)))"));
        AssertTranslation("S_INTERSECTS(geometry, POINT EMPTY)", "(ST_Intersects(s.geom, ST_GeomFromText(@f0, 4326)))", (NpgsqlDbType.Text, "POINT EMPTY"));
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        AssertTranslation("name_latn = 'a' OR name_latn = 'b' AND estimated_inhabitants > 5",
            "(s.name_latn = @f0 OR (s.name_latn = @f1 AND s.estimated_inhabitants > @f2))",
            (NpgsqlDbType.Text, "a"), (NpgsqlDbType.Text, "b"), (NpgsqlDbType.Bigint, 5L));
        AssertTranslation("name_latn = 'a' AND name_latn = 'b' OR estimated_inhabitants > 5",
            "((s.name_latn = @f0 AND s.name_latn = @f1) OR s.estimated_inhabitants > @f2)",
            (NpgsqlDbType.Text, "a"), (NpgsqlDbType.Text, "b"), (NpgsqlDbType.Bigint, 5L));
    }

    [Fact]
    public void Parentheses_override_precedence()
    {
        AssertTranslation("(name_latn = 'a' OR name_latn = 'b') AND estimated_inhabitants > 5",
            "((s.name_latn = @f0 OR s.name_latn = @f1) AND s.estimated_inhabitants > @f2)",
            (NpgsqlDbType.Text, "a"), (NpgsqlDbType.Text, "b"), (NpgsqlDbType.Bigint, 5L));
    }

    [Fact]
    public void Chains_of_one_operator_stay_flat()
    {
        AssertTranslation("name_latn = 'a' OR name_latn = 'b' OR name_latn = 'c'", "(s.name_latn = @f0 OR s.name_latn = @f1 OR s.name_latn = @f2)",
            (NpgsqlDbType.Text, "a"), (NpgsqlDbType.Text, "b"), (NpgsqlDbType.Text, "c"));
        var many = string.Join(" AND ", Enumerable.Range(0, 300).Select(i => $"households <> {i}"));
        var translation = Translate(many);
        Assert.Equal(300, translation.Parameters.Count);
        Assert.Equal("(" + string.Join(" AND ", Enumerable.Range(0, 300).Select(i => $"s.households <> @f{i}")) + ")", translation.Sql);
    }

    [Fact]
    public void Not_binds_tighter_than_and()
    {
        AssertTranslation("NOT name_latn = 'a'", "(NOT (s.name_latn = @f0))", (NpgsqlDbType.Text, "a"));
        AssertTranslation("NOT name_latn = 'a' AND households > 1", "(NOT (s.name_latn = @f0) AND s.households > @f1)", (NpgsqlDbType.Text, "a"), (NpgsqlDbType.Bigint, 1L));
        AssertTranslation("NOT (name_latn = 'a' AND households > 1)", "(NOT (s.name_latn = @f0 AND s.households > @f1))", (NpgsqlDbType.Text, "a"), (NpgsqlDbType.Bigint, 1L));
        AssertTranslation("not not households IS NULL", "(NOT (NOT (s.households IS NULL)))");
        AssertTranslation("NOT S_INTERSECTS(geometry, BBOX(0, 0, 1, 1))", "(NOT (ST_Intersects(s.geom, ST_MakeEnvelope(@f0, @f1, @f2, @f3, 4326))))",
            (NpgsqlDbType.Double, 0.0), (NpgsqlDbType.Double, 0.0), (NpgsqlDbType.Double, 1.0), (NpgsqlDbType.Double, 1.0));
    }

    [Fact]
    public void Nested_parentheses_keep_their_grouping_and_redundant_ones_vanish()
    {
        AssertTranslation("((((name_latn = 'a'))))", "(s.name_latn = @f0)", (NpgsqlDbType.Text, "a"));
        AssertTranslation("(name_latn = 'a' AND (households = 1 OR (households = 2 AND NOT (name_cyrl = 'б'))))",
            "(s.name_latn = @f0 AND (s.households = @f1 OR (s.households = @f2 AND NOT (s.name_cyrl = @f3))))",
            (NpgsqlDbType.Text, "a"), (NpgsqlDbType.Bigint, 1L), (NpgsqlDbType.Bigint, 2L), (NpgsqlDbType.Text, "б"));
        var deepest = new string('(', Cql2Text.MaxDepth) + "households = 1" + new string(')', Cql2Text.MaxDepth);
        Assert.Equal("(s.households = @f0)", Translate(deepest).Sql);
    }

    [Fact]
    public void Keywords_are_case_insensitive_and_white_space_is_free()
    {
        AssertTranslation("name_latn like 'a%'\tand\r\nnot estimated_inhabitants is null",
            @"(s.name_latn LIKE @f0 ESCAPE '\' AND NOT (s.estimated_inhabitants IS NULL))", (NpgsqlDbType.Text, "a%"));
        AssertTranslation("households=1 Or(households=2)", "(s.households = @f0 OR s.households = @f1)", (NpgsqlDbType.Bigint, 1L), (NpgsqlDbType.Bigint, 2L));
    }

    [Fact]
    public void Double_quoted_property_names_and_doubled_quotes_in_strings_are_read()
    {
        AssertTranslation("\"name_latn\" = 'O''Brien'", "(s.name_latn = @f0)", (NpgsqlDbType.Text, "O'Brien"));
        AssertTranslation("name_latn = ''''", "(s.name_latn = @f0)", (NpgsqlDbType.Text, "'"));
        AssertTranslation("name_latn = ''", "(s.name_latn = @f0)", (NpgsqlDbType.Text, ""));
    }

    [Fact]
    public void The_parameter_prefix_names_the_parameters_with_or_without_an_at_sign()
    {
        foreach (var prefix in new[] { "cql", "@cql" })
        {
            Assert.True(Cql2Text.TryTranslate("households = 1 OR households = 2", All, prefix, out var translation, out _, out _));
            Assert.Equal("(s.households = @cql0 OR s.households = @cql1)", translation.Sql);
            Assert.Equal(["cql0", "cql1"], translation.Parameters.Select(p => p.ParameterName));
        }
        Assert.Throws<ArgumentException>(() => Cql2Text.TryTranslate("households = 1", All, "x; DROP", out _, out _, out _));
        Assert.Throws<ArgumentException>(() => Cql2Text.TryTranslate("households = 1", All, "", out _, out _, out _));
    }

    [Fact]
    public void Translate_throws_a_cql2_exception_with_the_position()
    {
        var exception = Assert.Throws<Cql2Exception>(() => Cql2Text.Translate("households = 'x'", All, Prefix));
        Assert.Equal(13, exception.Position);
        Assert.StartsWith("at character 13: ", exception.Message, StringComparison.Ordinal);
    }
}
