using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Export;
using SettlementMap.Web.Features.Import;
using SettlementMap.Web.Features.Import.Mapping;

namespace SettlementMap.Tests.Import.Mapping;

public sealed class ColumnMatcherTests
{
    [Theory]
    [InlineData("code", "Šifra", "sifra", "ШИФРА", "id_naselja", "Settlement Code", "SIFRA_NASELJA")]
    [InlineData("name", "Naziv", "naziv", "НАЗИВ", "Ime", "naselje", "Name")]
    [InlineData("name_latn", "naziv_lat", "NAZIV LAT", "name_latn", "Naziv (latinica)", "назив_лат", "name.latn")]
    [InlineData("name_cyrl", "naziv_cir", "Назив ћир", "name_cyrl", "Naziv (ćirilica)", "NAZIV-CIR", "name cyrl")]
    [InlineData("municipality", "opstina", "Opština", "ОПШТИНА", "municipality", "municipality_code", "Šifra opštine")]
    [InlineData("estimated_inhabitants", "broj_stanovnika", "Procena stanovnika", "СТАНОВНИКА", "population", "estimated_inhabitants", "BrojStanovnika")]
    [InlineData("households", "domacinstva", "Domaćinstva", "домаћинства", "households", "Broj domaćinstava", "HOUSEHOLDS")]
    [InlineData("water_supply", "vodosnabdevanje", "voda", "Вода", "water", "water_supply", "Water-Supply")]
    [InlineData("sewerage", "kanalizacija", "Канализација", "sewerage", "KANALIZACIJA", "Sewerage", "sewage")]
    [InlineData("electricity", "struja", "Električna energija", "електрична_енергија", "electricity", "STRUJA", "Struja")]
    [InlineData("legal_status", "pravni_status", "Legalizacija", "правни статус", "legal_status", "Legal status", "legalizacija")]
    public void Column_names_in_either_script_case_and_spelling_reach_the_same_target(string target, params string[] columns)
    {
        foreach (var column in columns)
        {
            Assert.True(target == ColumnMatcher.Recognise(column), $"'{column}' should map to {target}, got {ColumnMatcher.Recognise(column) ?? "nothing"}.");
        }
    }

    [Fact]
    public void Every_field_is_recognised_by_its_own_name_in_any_case()
    {
        foreach (var field in SettlementFields.All)
        {
            Assert.Equal(field.Name, ColumnMatcher.Recognise(field.Name));
            Assert.Equal(field.Name, ColumnMatcher.Recognise(field.Name.ToUpperInvariant()));
        }
    }

    [Fact]
    public void The_maps_own_csv_export_reads_back_column_for_column()
    {
        var mapping = ColumnMatcher.Suggest(ExportApi.CsvColumns);

        Assert.Equal("code", mapping.Columns["code"]);
        Assert.Equal("municipality", mapping.Columns["municipality_code"]);
        foreach (var field in SettlementFields.All)
        {
            Assert.Equal(field.Name, mapping.Columns[field.Name]);
        }
        Assert.Equal(
            ["id", "municipality_name_latn", "municipality_name_cyrl", "district_code", "area_m2", "updated_at", "updated_by"],
            ColumnMatcher.Unmapped(ExportApi.CsvColumns, mapping));
    }

    [Fact]
    public void Each_target_is_fed_by_the_first_column_naming_it_and_the_rest_are_unmapped()
    {
        string[] columns = ["Naziv", "Voda", "Vodosnabdevanje", "naziv naselja", "Napomena", "Šifra"];

        var mapping = ColumnMatcher.Suggest(columns);

        Assert.Equal(new Dictionary<string, string> { ["Naziv"] = "name", ["Voda"] = "water_supply", ["Šifra"] = "code" }, mapping.Columns);
        Assert.Equal(["Vodosnabdevanje", "naziv naselja", "Napomena"], ColumnMatcher.Unmapped(columns, mapping));
    }

    [Theory]
    [InlineData("wkt")]
    [InlineData("WKT")]
    [InlineData("geometry")]
    [InlineData("the_geom")]
    [InlineData("GEOM")]
    [InlineData("lon")]
    [InlineData("Latitude")]
    [InlineData("x")]
    [InlineData("Y")]
    [InlineData("геометрија")]
    public void Geometry_columns_are_neither_mapped_nor_reported_unmapped(string column)
    {
        string[] columns = [column, "naziv"];
        var mapping = ColumnMatcher.Suggest(columns);

        Assert.True(ColumnMatcher.IsGeometryColumn(column));
        Assert.False(mapping.Columns.ContainsKey(column));
        Assert.Empty(ColumnMatcher.Unmapped(columns, mapping));
    }

    [Theory]
    [InlineData("vodosnabde", "water_supply")]
    [InlineData("kanalizaci", "sewerage")]
    [InlineData("broj_domac", "households")]
    [InlineData("procena_st", "estimated_inhabitants")]
    [InlineData("pravni_sta", "legal_status")]
    [InlineData("main_build", "main_building_material")]
    [InlineData("data_colle", "data_collected_on")]
    public void Names_cut_to_ten_characters_by_a_dbf_are_completed_when_only_one_target_fits(string column, string target) =>
        Assert.Equal(target, ColumnMatcher.Recognise(column));

    [Theory]
    [InlineData("distance_t")] // every distance_to_… field starts so
    [InlineData("udaljenost")]
    [InlineData("broj_stano")] // broj_stanovnika or broj_stanova
    [InlineData("settlement")] // settlement_code, settlement_type, settlement_name
    [InlineData("napomena")]
    [InlineData("id")]
    [InlineData("municipality_name_latn")]
    public void Ambiguous_or_unknown_names_are_not_guessed(string column) =>
        Assert.Null(ColumnMatcher.Recognise(column));

    [Fact]
    public void A_note_in_brackets_after_a_known_name_is_ignored()
    {
        Assert.Equal("estimated_inhabitants", ColumnMatcher.Recognise("Broj stanovnika (procena 2019)"));
        Assert.Equal("distance_to_primary_school_m", ColumnMatcher.Recognise("Udaljenost od škole [m]"));
    }

    [Fact]
    public void Unmapped_honours_a_saved_mapping_whose_column_names_differ_only_in_case()
    {
        var saved = new ImportMapping(new Dictionary<string, string> { ["Naziv"] = "name" });

        Assert.Equal(["Napomena"], ColumnMatcher.Unmapped(["NAZIV", "Napomena"], saved));
    }
}
