using System.Text.Json.Nodes;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Import;
using SettlementMap.Web.Features.Import.Mapping;

namespace SettlementMap.Tests.Import.Mapping;

public sealed class RowMapperTests
{
    private static readonly string[] Spellings = ["vodovod", "водовод", "Water network"];

    private static SourceRow Row(long number, params (string Column, string? Value)[] values) =>
        new(number, values.ToDictionary(v => v.Column, v => v.Value), null, null);

    private static ImportMapping Mapping(params (string Column, string Target)[] columns) =>
        new(columns.ToDictionary(c => c.Column, c => c.Target));

    [Fact]
    public void A_Cyrillic_survey_row_becomes_typed_settlement_properties()
    {
        var row = Row(7,
            ("Шифра", " ниш_014 "), ("Општина", " Ниш "), ("Назив", "Бубањ"), ("Становника", "1.234"), ("Домаћинства", "cca 300"),
            ("Вода", "Водовод"), ("Канализација", "септичка јама"), ("Струја", "делимично"), ("Легализација", "у поступку"),
            ("Поплаве", "да"), ("Удео", "45,5 %"), ("Школа", "1,2 km"), ("Датум", "31.05.2019."), ("Настанак", "1970-их"), ("Напомена", "ignored"));
        var mapping = Mapping(
            ("Шифра", "code"), ("Општина", "municipality"), ("Назив", "name"), ("Становника", "estimated_inhabitants"), ("Домаћинства", "households"),
            ("Вода", "water_supply"), ("Канализација", "sewerage"), ("Струја", "electricity"), ("Легализација", "legal_status"),
            ("Поплаве", "flood_zone"), ("Удео", "substandard_share_pct"), ("Школа", "distance_to_primary_school_m"), ("Датум", "data_collected_on"),
            ("Настанак", "decade_founded"));

        var mapped = RowMapper.Map(row, mapping);

        Assert.Empty(mapped.Problems);
        Assert.Equal(7, mapped.Number);
        Assert.Equal("NIS-014", mapped.Code);
        Assert.Equal("Ниш", mapped.Municipality);
        var expected = new JsonObject
        {
            ["name_cyrl"] = "Бубањ",
            ["estimated_inhabitants"] = 1234,
            ["households"] = 300,
            ["water_supply"] = "network",
            ["sewerage"] = "septic",
            ["electricity"] = "partial",
            ["legal_status"] = "in_process",
            ["flood_zone"] = "yes",
            ["substandard_share_pct"] = 45.5m,
            ["distance_to_primary_school_m"] = 1200,
            ["data_collected_on"] = "2019-05-31",
            ["decade_founded"] = 1970,
        };
        Assert.True(JsonNode.DeepEquals(expected, mapped.Properties), mapped.Properties.ToJsonString());
    }

    [Fact]
    public void The_same_value_in_three_spellings_gives_one_stored_value()
    {
        var mapping = Mapping(("voda", "water_supply"));

        var values = Spellings
            .Select((text, i) => RowMapper.Map(Row(i + 1, ("voda", text)), mapping).Properties["water_supply"]!.GetValue<string>());

        Assert.All(values, v => Assert.Equal("network", v));
    }

    [Fact]
    public void Bad_values_are_left_out_and_reported_with_row_field_value_and_reason()
    {
        var row = Row(12, ("voda", "veliko"), ("stanovnika", "12.5"), ("domacinstva", "abc"), ("datum", "31.13.2019"),
            ("skola", "-40"), ("naziv", new string('a', 250)), ("struja", "legalno"));
        var mapping = Mapping(("voda", "water_supply"), ("stanovnika", "estimated_inhabitants"), ("domacinstva", "households"),
            ("datum", "data_collected_on"), ("skola", "distance_to_primary_school_m"), ("naziv", "name_latn"), ("struja", "electricity"));

        var mapped = RowMapper.Map(row, mapping);

        Assert.Equal(new JsonObject { ["electricity"] = "legal" }.ToJsonString(), mapped.Properties.ToJsonString());
        var problems = mapped.Problems.ToDictionary(p => p.Field);
        Assert.Equal(
            ["data_collected_on", "distance_to_primary_school_m", "estimated_inhabitants", "households", "name_latn", "water_supply"],
            problems.Keys.Order());
        Assert.All(mapped.Problems, p => Assert.Equal(12, p.Row));
        Assert.Equal(new RowProblem(12, "water_supply", "veliko",
            "'veliko' is not a value of water supply; accepted: network (vodovod), wells (bunari), none (bez vode), unknown (nepoznato)."),
            problems["water_supply"]);
        Assert.Equal("'12.5' is not a whole number.", problems["estimated_inhabitants"].Reason);
        Assert.Equal("12.5", problems["estimated_inhabitants"].Value);
        Assert.Equal("'abc' is not a whole number.", problems["households"].Reason);
        Assert.StartsWith("'31.13.2019' is not a date", problems["data_collected_on"].Reason, StringComparison.Ordinal);
        Assert.Equal("distance_to_primary_school_m must be from 0 to 200000 m; got -40.", problems["distance_to_primary_school_m"].Reason);
        Assert.Contains("longer than 200 characters", problems["name_latn"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_cells_set_nothing_and_report_nothing()
    {
        var mapped = RowMapper.Map(
            Row(1, ("naziv", "  "), ("voda", ""), ("stanovnika", null), ("sifra", "")),
            Mapping(("naziv", "name"), ("voda", "water_supply"), ("stanovnika", "estimated_inhabitants"), ("sifra", "code")));

        Assert.Empty(mapped.Properties);
        Assert.Empty(mapped.Problems);
        Assert.Null(mapped.Code);
    }

    [Theory]
    [InlineData("Kragujevac", "name_latn")]
    [InlineData("Крагујевац", "name_cyrl")]
    [InlineData("Naselje 7", "name_latn")]
    public void A_name_goes_to_the_field_of_its_script(string name, string field)
    {
        var mapped = RowMapper.Map(Row(1, ("naziv", name)), Mapping(("naziv", "name")));

        Assert.Equal(name, mapped.Properties[field]!.GetValue<string>());
        Assert.Single(mapped.Properties);
    }

    [Fact]
    public void An_explicit_name_column_wins_over_the_name_column_but_an_empty_one_does_not()
    {
        var mapping = Mapping(("naziv", "name"), ("naziv_lat", "name_latn"));

        var both = RowMapper.Map(Row(1, ("naziv", "Stari grad"), ("naziv_lat", "Stari Grad")), mapping);
        var onlyName = RowMapper.Map(Row(2, ("naziv", "Stari grad"), ("naziv_lat", "")), mapping);

        Assert.Equal("Stari Grad", both.Properties["name_latn"]!.GetValue<string>());
        Assert.Equal("Stari grad", onlyName.Properties["name_latn"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(" nis_014 ", "NIS-014")]
    [InlineData("bg  zvezdara 3", "BG-ZVEZDARA-3")]
    [InlineData("ЧУК-01", "CUK-01")]
    [InlineData("Đurđevo_2", "DJURDJEVO-2")]
    [InlineData("NIS-014", "NIS-014")]
    public void Codes_are_upper_case_Latin_with_hyphens(string raw, string code) =>
        Assert.Equal(code, RowMapper.Map(Row(1, ("sifra", raw)), Mapping(("sifra", "code"))).Code);

    [Fact]
    public void A_saved_mapping_finds_its_columns_in_another_case()
    {
        var mapped = RowMapper.Map(Row(1, ("VODA", "bunar")), Mapping(("Voda", "water_supply")));

        Assert.Equal("wells", mapped.Properties["water_supply"]!.GetValue<string>());
    }

    [Fact]
    public void Shares_keep_two_decimals_and_yes_no_fields_take_the_yes_no_words()
    {
        var mapped = RowMapper.Map(
            Row(1, ("udeo", "33,3333"), ("rasveta", "NE"), ("put", "x"), ("smece", "?")),
            Mapping(("udeo", "substandard_share_pct"), ("rasveta", "street_lighting"), ("put", "paved_access_road"), ("smece", "waste_collection")));

        Assert.Empty(mapped.Problems);
        Assert.Equal(33.33m, mapped.Properties["substandard_share_pct"]!.GetValue<decimal>());
        Assert.Equal("no", mapped.Properties["street_lighting"]!.GetValue<string>());
        Assert.Equal("yes", mapped.Properties["paved_access_road"]!.GetValue<string>());
        Assert.Equal("unknown", mapped.Properties["waste_collection"]!.GetValue<string>());
    }

    [Fact]
    public void The_mapped_properties_are_what_SettlementEdit_accepts()
    {
        var mapped = RowMapper.Map(
            Row(1, ("naziv", "Бубањ"), ("voda", "bunar"), ("stanovnika", "1 200"), ("datum", "1.5.2019")),
            Mapping(("naziv", "name"), ("voda", "water_supply"), ("stanovnika", "estimated_inhabitants"), ("datum", "data_collected_on")));

        using var document = System.Text.Json.JsonDocument.Parse(new JsonObject { ["properties"] = mapped.Properties.DeepClone() }.ToJsonString());
        var edit = SettlementEdit.Read(document.RootElement, geometryRequired: false);

        Assert.True(edit.IsValid, string.Join("; ", edit.Errors.SelectMany(e => e.Value)));
        Assert.True(edit.Touches("name_cyrl") && edit.Touches("water_supply") && edit.Touches("estimated_inhabitants") && edit.Touches("data_collected_on"));
    }
}
