using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Export;

namespace SettlementMap.Tests.Export;

/// <summary>The downloads' file names name their filters, and no filter value can make them unsafe.</summary>
public sealed partial class ExportFileNameTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly AppFixture app = EverythingPublic.Of(app);

    private static readonly string[] Order = ["bbox", "municipality", "district", "water_supply", "sewerage", "electricity", "legal_status", "flood_zone", "hazard_nearby", "eviction_threat", "min_inhabitants", "max_inhabitants"];

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex SafeName();

    private static string Today() => DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> DownloadNameAsync(string query)
    {
        using var client = app.Factory.CreateClient();
        var before = Today();
        using var response = await client.GetAsync(new Uri("/api/export/settlements?" + query, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var name = response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "";
        // A download that straddles midnight UTC may carry either day.
        var after = Today();
        return after == before ? name : name.Replace(after, before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CSV_of_Nis_without_water_is_named_after_its_filters_and_the_day()
    {
        Assert.Equal($"settlements_nis_water-none_{Today()}.csv", await DownloadNameAsync("format=csv&municipality=nis&water_supply=none"));
    }

    [Fact]
    public async Task Every_format_names_its_filters_several_values_and_a_CRS_other_than_CRS84()
    {
        Assert.Equal($"settlements_rs-se-20_water-none-wells_min-100_{Today()}.geojson",
            await DownloadNameAsync("format=geojson&district=RS.SE.20&water_supply=none,wells&min_inhabitants=100"));
        Assert.Equal($"settlements_nis_flood-yes_epsg3909_{Today()}.gpkg", await DownloadNameAsync("format=gpkg&municipality=nis&flood_zone=yes&crs=EPSG:3909"));
        Assert.Equal($"settlements_bbox_nis_{Today()}.shp.zip", await DownloadNameAsync("format=shapefile&municipality=nis&bbox=21.8,43.2,22.0,43.4"));
        Assert.Equal($"settlements_{Today()}.csv", await DownloadNameAsync("format=csv"));
    }

    [Theory]
    [InlineData("municipality=..%2F..%2Fetc%2Fpasswd")]
    [InlineData("municipality=nis%22%3B%20filename%3Devil.exe")]
    [InlineData("municipality=nis%0D%0ASet-Cookie%3A%20a%3Db")]
    [InlineData("water_supply=none%22%0D%0A")]
    public async Task A_hostile_filter_value_is_refused_before_any_file_is_named(string filter)
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/export/settlements?format=csv&" + filter, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentDisposition);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("municipality", "../../etc/passwd", "settlements_etc-passwd_2026-12-03")]
    [InlineData("municipality", "nis\"; filename=evil.exe", "settlements_nis-filename-evil-exe_2026-12-03")]
    [InlineData("municipality", "nis\r\nSet-Cookie: a=b", "settlements_nis-set-cookie-a-b_2026-12-03")]
    [InlineData("municipality", "Ниш", "settlements_nis_2026-12-03")]
    [InlineData("district", "Đurđevo Čukarica", "settlements_djurdjevo-cukarica_2026-12-03")]
    [InlineData("water_supply", "<script>", "settlements_water-script_2026-12-03")]
    [InlineData("water_supply", "%%%", "settlements_2026-12-03")]
    public void Any_value_becomes_a_short_ASCII_slug(string parameter, string value, string expected)
    {
        var name = ExportFileName.For(Query((parameter, value)), Order, null, new DateOnly(2026, 12, 3));
        Assert.Equal(expected, name);
        Assert.Matches(SafeName(), name);
    }

    [Fact]
    public void A_long_value_and_many_filters_are_bounded()
    {
        var longValue = new string('ž', 10_000);
        var name = ExportFileName.For(Query(("municipality", longValue), ("district", longValue), ("water_supply", longValue), ("sewerage", longValue),
            ("electricity", longValue), ("legal_status", longValue)), Order, 32634, new DateOnly(2026, 12, 3));
        Assert.Matches(SafeName(), name);
        Assert.EndsWith("_epsg32634_2026-12-03", name, StringComparison.Ordinal);
        Assert.True(name.Length <= "settlements_".Length + ExportFileName.MaxFiltersLength + "_epsg32634_2026-12-03".Length, name);
        Assert.StartsWith("settlements_" + new string('z', ExportFileName.MaxValueLength) + "_", name, StringComparison.Ordinal);
    }

    private static Dictionary<string, StringValues> Query(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => new StringValues(p.Value));
}
