using SettlementMap.Web.Features.History;

namespace SettlementMap.Tests.History;

/// <summary>The instants as_of names: the end of a UTC day, to PostgreSQL's microsecond, at the calendar's ends too.</summary>
public sealed class SettlementTimeTests
{
    [Theory]
    [InlineData("2019-01-01", "2019-01-01T23:59:59.9999990Z")]
    [InlineData("2024-02-29", "2024-02-29T23:59:59.9999990Z")]
    [InlineData("9999-12-31", "9999-12-31T23:59:59.9999990Z")]
    [InlineData("0001-01-01", "0001-01-01T23:59:59.9999990Z")]
    public void The_end_of_a_day_is_its_last_microsecond(string day, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            SettlementTime.EndOf(DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("1900-01-01", true)]
    [InlineData("9998-12-31", true)]
    [InlineData("9999-12-31", false)]
    [InlineData("1899-12-31", false)]
    [InlineData("0001-01-01T00:00:00+14:00", false)]
    [InlineData("9999-12-31T23:59:59-14:00", false)]
    [InlineData("2019-01-01T00:00:00", false)]
    [InlineData("2019-01-01T00:00:00+01:00", true)]
    public void As_of_takes_days_and_date_times_with_an_offset_from_1900_to_9998(string text, bool taken) =>
        Assert.Equal(taken, SettlementTime.TryParseInstant(text, out _, out _));
}
