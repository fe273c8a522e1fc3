using System.Globalization;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>A cell or attribute value as the text SourceRow carries: invariant numbers, ISO dates, "true"/"false", null for nothing.</summary>
internal static class ValueText
{
    public static string? Of(object? value) => value switch
    {
        null or DBNull => null,
        string text => text.Length == 0 ? null : text,
        bool flag => flag ? "true" : "false",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        float number => number.ToString("R", CultureInfo.InvariantCulture),
        decimal number => Decimal(number),
        DateTime date => date.TimeOfDay == TimeSpan.Zero
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset date => date.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
        TimeSpan time => time.ToString("c", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>
    /// DBF numbers arrive as decimals padded to the field's width ("1.500000000000000", GDAL's
    /// "359.959999999999980"): fractions are written with 15 significant digits like a double,
    /// whole numbers in full (long identifiers must not round).
    /// </summary>
    private static string Decimal(decimal number) =>
        number == decimal.Truncate(number)
            ? decimal.Truncate(number).ToString(CultureInfo.InvariantCulture)
            : number.ToString("G15", CultureInfo.InvariantCulture);
}
