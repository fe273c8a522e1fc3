using SettlementMap.Web.Features.Import;
using SettlementMap.Web.Features.Import.Mapping;

namespace SettlementMap.Tests.Import.Mapping;

public sealed class ImportMappingsTests
{
    [Fact]
    public void A_mapping_survives_a_json_round_trip_with_its_Cyrillic_column_names_readable()
    {
        var mapping = ColumnMatcher.Suggest(["Назив", "Шифра", "Вода", "Opština", "broj_stanovnika"]);

        var json = ImportMappings.ToJson(mapping);
        var read = ImportMappings.FromJson(json);

        Assert.Contains("\"Назив\": \"name\"", json, StringComparison.Ordinal);
        Assert.Equal(mapping.Columns, read.Columns);
        Assert.Equal(5, read.Columns.Count);
        Assert.Equal(mapping.Columns.Keys, read.Columns.Keys); // order kept
    }

    [Fact]
    public void Targets_are_read_in_any_case_and_null_leaves_a_column_unmapped()
    {
        var read = ImportMappings.FromJson("""{"columns": {"Naziv": "Name", "Voda": " WATER_SUPPLY ", "Napomena": null, "Prazno": ""}}""");

        Assert.Equal(new Dictionary<string, string> { ["Naziv"] = "name", ["Voda"] = "water_supply" }, read.Columns);
        Assert.Equal(["Napomena", "Prazno"], ColumnMatcher.Unmapped(["Naziv", "Voda", "Napomena", "Prazno"], read));
    }

    [Fact]
    public void An_unknown_target_is_named_with_a_guess_and_the_valid_targets()
    {
        var error = Assert.Throws<ImportMappingException>(() =>
            ImportMappings.FromJson("""{"columns": {"Naziv": "name", "Voda": "vodosnabdevanje", "X1": "colour"}}"""));

        Assert.Equal(2, error.Errors.Count);
        Assert.StartsWith("Column 'Voda' has the unknown target 'vodosnabdevanje' (did you mean 'water_supply'?); valid targets: code, municipality, name, name_latn, name_cyrl,", error.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("Column 'X1' has the unknown target 'colour'; valid targets:", error.Errors[1], StringComparison.Ordinal);
        Assert.Contains("data_collected_on", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "a \"columns\" object")]
    [InlineData("""{"column": {"Naziv": "name"}}""", "a \"columns\" object")]
    [InlineData("""{"columns": {"Naziv": 3}}""", "must be a target name or null")]
    [InlineData("""{"columns": {"Naziv": "name", "Ime": "name"}}""", "Columns 'Naziv' and 'Ime' both feed name")]
    [InlineData("""{"columns": {"Naziv": "name", "Naziv": "code"}}""", "The column 'Naziv' is given twice")]
    public void A_malformed_mapping_is_refused_with_a_plain_reason(string json, string reason)
    {
        var error = Assert.Throws<ImportMappingException>(() => ImportMappings.FromJson(json));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_accepts_a_suggested_mapping()
    {
        var mapping = ColumnMatcher.Suggest(["šifra", "naziv", "opština", "voda", "struja", "grejanje"]);

        Assert.Empty(ImportMappings.Check(mapping));
        Assert.NotEmpty(ImportMappings.Check(new ImportMapping(new Dictionary<string, string> { ["a"] = "nope" })));
    }
}
