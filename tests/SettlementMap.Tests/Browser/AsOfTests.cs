using Microsoft.Playwright;
using Npgsql;
using SettlementMap.Tests.History;
using SettlementMap.Web.Data.Demo;
using SettlementMap.Web.Features.History;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// The map as of a day in headless Chromium: the date sets what the map, the count, the list, the downloads
/// and the OGC line read; the permalink keeps it; a banner says it (in the page's language and script) with
/// a way back to today; editing is off meanwhile.
/// </summary>
public sealed class AsOfTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Day = "2019-01-01";

    /// <summary>A settlement that existed on <see cref="Day"/> and is gone today, written through the editing API on a manual clock; its name.</summary>
    private async Task<string> PastSettlementAsync()
    {
        var name = "Nekadašnje " + Guid.NewGuid().ToString("N")[..6];
        await using var edits = await DatedEdits.StartAsync(browser.App, new DateTimeOffset(2018, 5, 5, 9, 0, 0, TimeSpan.Zero));
        var outline = (await AsOfReplayTests.OutlinesAsync(browser.App, 1))[0];
        var id = await edits.CreateAsync(new DateTimeOffset(2018, 5, 5, 9, 0, 0, TimeSpan.Zero), outline, name, "wells", 75);
        await edits.DeleteAsync(new DateTimeOffset(2020, 3, 1, 9, 0, 0, TimeSpan.Zero), id);
        return name;
    }

    /// <summary>How many settlements history has at the end of a day, and how many today.</summary>
    private async Task<(long Then, long Now)> CountsAsync(string day)
    {
        await using var connection = new NpgsqlConnection(browser.App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM settlements_as_of(@at)), (SELECT count(*) FROM settlements)", connection);
        command.Parameters.AddWithValue("at", SettlementTime.EndOf(DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The whole list of settlements shown (it lists 200 at a time), so a name's absence means something.</summary>
    private static async Task<ILocator> ListedAsync(MapPage map, string name)
    {
        var more = map.Page.Locator("#results-show-more");
        while (await more.IsVisibleAsync())
        {
            await more.ClickAsync();
        }
        return map.Page.Locator("#results button", new PageLocatorOptions { HasText = name });
    }

    private static async Task SetDayAsync(MapPage map, string day)
    {
        await map.Page.FillAsync("#as-of-date", day);
        await map.Page.DispatchEventAsync("#as-of-date", "change");
        await Assertions.Expect(map.Page.Locator("#as-of-banner")).ToBeVisibleAsync();
        await map.IdleAsync();
    }

    [Fact]
    public async Task Setting_the_day_changes_the_map_and_count_the_link_keeps_it_a_banner_says_it_and_today_comes_back()
    {
        var name = await PastSettlementAsync();
        var (then, now) = await CountsAsync(Day);
        Assert.NotEqual(then, now);
        await using var map = await browser.OpenAsync();
        await map.IdleAsync();
        Assert.Equal(now, await map.ShownCountAsync());
        Assert.True(await map.Page.Locator("#as-of-banner").IsHiddenAsync());
        Assert.Equal(0, await (await ListedAsync(map, name)).CountAsync());

        await SetDayAsync(map, Day);
        await Assertions.Expect(map.Page.Locator("#count")).ToHaveAttributeAsync("data-shown", then.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((int)then, (await map.Page.EvaluateAsync<int>("() => window.settlementMap.counts.settlements")));
        // The count's "of N" is that day's too.
        Assert.Equal((int)then, await map.Page.EvaluateAsync<int>("() => window.settlementMap.counts.total"));
        await Assertions.Expect(await ListedAsync(map, name)).ToHaveCountAsync(1);
        Assert.Equal("Map as of 1 January 2019", await map.Page.TextContentAsync("#as-of-banner-text"));
        Assert.Contains("as_of=" + Day, map.Page.Url, StringComparison.Ordinal);
        Assert.Contains("as_of=" + Day, await map.Page.GetAttributeAsync("#export-csv", "href"), StringComparison.Ordinal);
        Assert.Contains("as_of=" + Day, await map.Page.GetAttributeAsync("#export-geojson", "href"), StringComparison.Ordinal);
        Assert.Contains("/collections/settlements?datetime=" + Day, await map.Page.TextContentAsync("#ogc-gdal"), StringComparison.Ordinal);
        // The coverage follows the same day.
        await Assertions.Expect(map.Page.Locator("#coverage-as-of")).ToHaveValueAsync(Day);
        // Deleted since: the map has it as it was, its details say it is gone (not that they failed).
        await map.Page.Locator("#results button", new PageLocatorOptions { HasText = name }).ClickAsync();
        await Assertions.Expect(map.Page.Locator("#details-gone")).ToContainTextAsync("1 January 2019");
        await map.Page.ClickAsync("#details-close");

        // The link opens the same day.
        await using (var linked = await browser.OpenAsync(new Uri(map.Page.Url).Fragment))
        {
            await linked.IdleAsync();
            Assert.Equal(then, await linked.ShownCountAsync());
            Assert.Equal(Day, await linked.Page.InputValueAsync("#as-of-date"));
            Assert.Equal("Map as of 1 January 2019", await linked.Page.TextContentAsync("#as-of-banner-text"));
            // The banner is on the printed sheet, and the view in words says the day.
            await linked.Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
            Assert.True(await linked.Page.IsVisibleAsync("#as-of-banner"));
            Assert.False(await linked.Page.IsVisibleAsync("#as-of-back"));
            await Assertions.Expect(linked.Page.Locator("#print-view li").First).ToHaveTextAsync("Map as of 1 January 2019");
        }

        await map.Page.ClickAsync("#as-of-back");
        await Assertions.Expect(map.Page.Locator("#as-of-banner")).ToBeHiddenAsync();
        await map.IdleAsync();
        await Assertions.Expect(map.Page.Locator("#count")).ToHaveAttributeAsync("data-shown", now.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((int)now, await map.Page.EvaluateAsync<int>("() => window.settlementMap.counts.total"));
        Assert.DoesNotContain("as_of=", map.Page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("as_of=", await map.Page.GetAttributeAsync("#export-csv", "href"), StringComparison.Ordinal);
        Assert.Equal(0, await (await ListedAsync(map, name)).CountAsync());
        // The one error the browser logs is the deleted settlement's 404, which the details worded as "gone".
        Assert.All(map.ConsoleErrors, e => Assert.Contains("status of 404", e, StringComparison.Ordinal));
        Assert.True(map.ConsoleErrors.Count <= 1, string.Join("\n", map.ConsoleErrors));
    }

    [Fact]
    public async Task The_banner_speaks_Cyrillic_and_fits_a_phone()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "sr-RS" });
        await context.AddInitScriptAsync("localStorage.setItem('settlementmap.language', 'sr-Cyrl')");
        await using var map = await browser.OpenAsync("#as_of=" + Day, context: context);
        await map.IdleAsync();
        Assert.Equal("Мапа на дан 1. јануар 2019.", await map.Page.TextContentAsync("#as-of-banner-text"));
        Assert.Equal("Назад на данас", await map.Page.TextContentAsync("#as-of-back"));
        // On a phone it lies within the map, clear of the zoom buttons and the print control.
        var banner = (await map.Page.Locator("#as-of-banner").BoundingBoxAsync())!;
        var mapBox = (await map.Page.Locator("#map").BoundingBoxAsync())!;
        Assert.InRange(banner.X, mapBox.X, mapBox.X + mapBox.Width);
        Assert.True(banner.X + banner.Width <= mapBox.X + mapBox.Width + 0.5, "the banner fits the map's width");
        foreach (var control in new[] { ".leaflet-control-zoom", ".print-control", ".legend" })
        {
            var box = await map.Page.Locator(control).First.BoundingBoxAsync();
            if (box is null)
            {
                continue;
            }
            var apart = box.X + box.Width <= banner.X || banner.X + banner.Width <= box.X || box.Y + box.Height <= banner.Y || banner.Y + banner.Height <= box.Y;
            Assert.True(apart, $"the banner clears {control}");
        }
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task Editing_is_off_while_the_map_shows_a_past_day()
    {
        await using var map = await browser.OpenAsync();
        await EditingPageTests.SignInAsync(map, DemoAccounts.AdministratorName, DemoAccounts.AdministratorPassword);
        await Assertions.Expect(map.Page.Locator("#draw-settlement")).ToBeEnabledAsync();
        await map.IdleAsync();
        var first = map.Page.Locator("#results button[data-id]").First;
        await first.ClickAsync();
        await map.Page.Locator("#edit-attributes").WaitForAsync();

        // The day the page was opened on keeps the settlement; the past day turns editing off.
        var today = await map.Page.EvaluateAsync<string>("() => new Date().toISOString().slice(0, 10)");
        var yesterday = DateOnly.ParseExact(today, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await SetDayAsync(map, yesterday);
        await Assertions.Expect(map.Page.Locator("#draw-settlement")).ToBeDisabledAsync();
        Assert.Equal("Editing is off while the map shows a past day.", (await map.Page.TextContentAsync("#draw-past"))!.Trim());
        await Assertions.Expect(map.Page.Locator("#edit-past")).ToBeVisibleAsync();
        Assert.Equal(0, await map.Page.Locator("#edit-attributes").CountAsync());

        await map.Page.ClickAsync("#as-of-back");
        await Assertions.Expect(map.Page.Locator("#draw-settlement")).ToBeEnabledAsync();
        await Assertions.Expect(map.Page.Locator("#edit-attributes")).ToBeVisibleAsync();
    }
}
