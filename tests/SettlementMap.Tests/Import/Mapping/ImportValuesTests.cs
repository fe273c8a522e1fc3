using SettlementMap.Web.Features.Import.Mapping;

namespace SettlementMap.Tests.Import.Mapping;

public sealed class ImportValuesTests
{
    [Theory]
    [InlineData("1234", 1234)]
    [InlineData(" 1234 ", 1234)]
    [InlineData("1 234", 1234)]
    [InlineData("1\u00A0234", 1234)]
    [InlineData("1.234", 1234)]
    [InlineData("1,234", 1234)]
    [InlineData("1.234.567", 1234567)]
    [InlineData("1,234,567", 1234567)]
    [InlineData("100.000", 100000)]
    [InlineData("1234.0", 1234)]
    [InlineData("1234,0", 1234)]
    [InlineData("1.234,00", 1234)]
    [InlineData("1,234.00", 1234)]
    [InlineData("cca 300", 300)]
    [InlineData("cca. 300", 300)]
    [InlineData("oko 1.200", 1200)]
    [InlineData("~450", 450)]
    [InlineData("ЦЦА 300", 300)]
    [InlineData("-5", -5)]
    [InlineData("0", 0)]
    public void Whole_numbers_are_read_in_Serbian_and_English_forms(string text, int expected)
    {
        Assert.True(ImportValues.TryParseWhole(text, out var value), $"'{text}' should be a whole number.");
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12.5")]
    [InlineData("12,5")]
    [InlineData("0.500")]
    [InlineData("1.23")]
    [InlineData("1.2345")]
    [InlineData("1 23")]
    [InlineData("1.234,5")]
    [InlineData("1.2.3")]
    [InlineData("200-300")]
    [InlineData("")]
    [InlineData("99999999999")]
    [InlineData("ocean 300")]
    public void Text_and_fractions_are_not_whole_numbers(string text) =>
        Assert.False(ImportValues.TryParseWhole(text, out _));

    [Theory]
    [InlineData("12.5", "12.5")]
    [InlineData("12,5", "12.5")]
    [InlineData("1,234", "1.234")] // a single mark is the decimal mark outside counts
    [InlineData("1.234,5", "1234.5")]
    [InlineData("1,234.5", "1234.5")]
    [InlineData("1 234,5", "1234.5")]
    [InlineData(",5", "0.5")]
    [InlineData("45", "45")]
    public void Decimal_numbers_take_a_point_or_a_comma(string text, string expected)
    {
        Assert.True(ImportValues.TryParseNumber(text, whole: false, out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("1970", 1970)]
    [InlineData("1973", 1970)]
    [InlineData("1970s", 1970)]
    [InlineData("1970's", 1970)]
    [InlineData("1970-ih", 1970)]
    [InlineData("1980-тих", 1980)]
    [InlineData("1990-e", 1990)]
    public void Decades_are_read_from_a_decade_or_a_year(string text, int expected)
    {
        Assert.True(ImportValues.TryParseDecade(text, out var decade));
        Assert.Equal(expected, decade);
    }

    [Theory]
    [InlineData("2019-05-31")]
    [InlineData("2019-5-31")]
    [InlineData("31.05.2019")]
    [InlineData("31.5.2019")]
    [InlineData("31.05.2019.")]
    [InlineData("31. 5. 2019.")]
    [InlineData("2019-05-31T00:00:00")]
    [InlineData("2019-05-31 14:30:00")]
    [InlineData("05/31/2019 00:00:00")] // DateTime.ToString() in the invariant culture
    public void Dates_are_read_in_iso_and_serbian_forms(string text)
    {
        Assert.True(ImportValues.TryParseDate(text, out var date), $"'{text}' should be a date.");
        Assert.Equal(new DateOnly(2019, 5, 31), date);
    }

    [Theory]
    [InlineData("31.13.2019")]
    [InlineData("2019-02-30")]
    [InlineData("05/31/2019")] // month first or day first: not guessed
    [InlineData("31/05/2019")]
    [InlineData("maj 2019")]
    [InlineData("43617")] // an Excel serial number
    public void Impossible_or_ambiguous_dates_are_not_read(string text) =>
        Assert.False(ImportValues.TryParseDate(text, out _));
}
