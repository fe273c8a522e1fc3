using SettlementMap.Web.Data;
using SettlementMap.Web.Text;

namespace SettlementMap.Tests.Text;

public sealed class SerbianScriptTests
{
    [Theory]
    [InlineData("Kragujevac", "Крагујевац")]
    [InlineData("Čukarica", "Чукарица")]
    [InlineData("Inđija", "Инђија")]
    [InlineData("Ljig", "Љиг")]
    [InlineData("Knjaževac", "Књажевац")]
    [InlineData("Odžaci", "Оџаци")]
    [InlineData("Vranjska Banja", "Врањска Бања")]
    [InlineData("Ćićevac", "Ћићевац")]
    [InlineData("Šabac", "Шабац")]
    // Acronyms and Roman numerals stay Latin in Cyrillic text (and come back unchanged); other capitals do not.
    [InlineData("Livade II", "Ливаде II")]
    [InlineData("Stara mahala XIV", "Стара махала XIV")]
    [InlineData("Bara IX-a", "Бара IX-а")]
    [InlineData("ROMACTED – Promovisanje", "ROMACTED – Промовисање")]
    [InlineData("UNDP / UNHCR / UNV", "UNDP / UNHCR / UNV")]
    [InlineData("XML i WMS", "XML и WMS")]
    [InlineData("JKP Niš", "ЈКП Ниш")]
    [InlineData("Naselje JNA", "Насеље ЈНА")]
    [InlineData("I tako", "И тако")]
    [InlineData("Mala V", "Мала В")]
    [InlineData("Romacted", "Ромацтед")]
    public void Latin_and_Cyrillic_transliterate_both_ways(string latin, string cyrillic)
    {
        Assert.Equal(cyrillic, SerbianScript.ToCyrillic(latin));
        Assert.Equal(latin, SerbianScript.ToLatin(cyrillic));
    }

    [Theory]
    [InlineData("Крагујевац", "Kragujevac")]
    [InlineData("kragujevac", "KRAGUJEVAC")]
    [InlineData("Cukarica", "Čukarica")]
    [InlineData("Чукарица", "cukarica")]
    [InlineData("Indjija", "Инђија")]
    public void Search_keys_match_across_scripts_case_and_diacritics(string a, string b) =>
        Assert.Equal(SerbianScript.SearchKey(a), SerbianScript.SearchKey(b));

    [Fact]
    public void Enum_text_is_snake_case_both_ways_and_rejects_other_spellings()
    {
        Assert.Equal("not_legalised", EnumText.ToText(LegalStatus.NotLegalised));
        Assert.Equal(Heating.ElectricityGas, EnumText.Parse<Heating>("electricity_gas"));
        Assert.False(EnumText.TryParse<WaterSupply>("Network", out _));
        Assert.False(EnumText.TryParse<WaterSupply>("1", out _));
        Assert.Equal(["unknown", "network", "wells", "none"], EnumText.Values<WaterSupply>());
    }
}
