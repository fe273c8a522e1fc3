using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// The map's scale bar, and the map printed (print.css, js/print.js): under print media only the
/// sheet shows (map, legend, scale bar, the view in words, date, sources, demo notice), and the
/// browser's PDF of it is one A4 page in the orientation chosen in the Print control.
/// </summary>
public sealed partial class PrintTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    // Filters, a coverage overlay and the gap: everything the sheet has to put into words.
    private const string FilteredView = "#overlays=health_mediator,gap&water_supply=wells,none&district=RS.SE.20";

    /// <summary>Print media, and the sheet laid out: the page hears of the media change at its next frame.</summary>
    internal static async Task EmulatePrintAsync(IPage page)
    {
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await page.WaitForFunctionAsync("() => document.documentElement.classList.contains('printing')");
    }

    [Fact]
    public async Task The_map_has_a_metric_scale_bar_on_screen()
    {
        await using var map = await browser.OpenAsync();

        var lines = map.Page.Locator(".leaflet-control-scale .leaflet-control-scale-line");
        Assert.Equal(1, await lines.CountAsync()); // metric only, no miles
        Assert.True(await lines.IsVisibleAsync());
        Assert.Matches(@"^\d+ (m|km)$", await lines.TextContentAsync());
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task Print_media_shows_the_sheet_and_hides_the_interface()
    {
        await using var map = await browser.OpenAsync(FilteredView, 1366, 768);
        await map.IdleAsync();
        var before = await map.Page.EvaluateAsync<double[]>("() => { const m = window.settlementMap.view.map; return [m.zoom, m.lat, m.lon]; }");
        var themeTitle = await map.Page.Locator(".legend [data-legend='settlements'] h2").TextContentAsync();

        await EmulatePrintAsync(map.Page);
        await map.IdleAsync();

        foreach (var chrome in new[] { "header.top h1", "#panel-toggle", "#account", "#panel", "#search-input", "#language", ".leaflet-control-zoom", ".leaflet-control-country", ".leaflet-control-locate", ".print-control", "#details" })
        {
            Assert.False(await map.Page.Locator(chrome).IsVisibleAsync(), chrome + " is printed");
        }
        foreach (var part in new[] { "#map", ".legend", ".leaflet-control-scale", "#print-title", "#print-date", "#print-view", "#print-sources", "#data-notice" })
        {
            Assert.True(await map.Page.Locator(part).IsVisibleAsync(), part + " is not printed");
        }
        var words = await map.Page.Locator("#print-view").InnerTextAsync();
        Assert.Contains("Colour settlements by: " + themeTitle, words, StringComparison.Ordinal);
        Assert.Contains("District: Nišavski okrug", words, StringComparison.Ordinal); // one name per district in every language (data-text.js districtName)
        Assert.Contains("Water supply: wells, no water supply", words, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Health mediators", words, StringComparison.Ordinal);
        Assert.Contains("Coverage gap", words, StringComparison.Ordinal);
        Assert.Contains(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), await map.Page.Locator("#print-date").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("GeoNames", await map.Page.Locator("#print-sources").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Demo data", await map.Page.Locator("#data-notice").TextContentAsync(), StringComparison.Ordinal);
        // The legend's classes keep their colours on paper.
        Assert.Equal("exact", await map.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).printColorAdjust"));
        // The map has the sheet's height for it (134 mm of an A4 landscape sheet), and Leaflet has measured it
        // (Leaflet's SVG renderer is the map's size and a tenth more on each side.)
        var widths = await map.Page.EvaluateAsync<double[]>("() => [document.getElementById('map').getBoundingClientRect().height, Number(document.querySelector('#map .leaflet-overlay-pane svg').getAttribute('height'))]");
        Assert.InRange(widths[0], 500, 512); // 134 mm
        Assert.Equal(widths[0] * 1.2, widths[1], 2.0);
        Directory.CreateDirectory(MapPageTests.ScreenshotDirectory);
        await map.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(MapPageTests.ScreenshotDirectory, "print-media.png"), FullPage = true });

        // Back on screen, the map shows what it showed before.
        await map.Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });
        await map.Page.WaitForFunctionAsync("() => !document.documentElement.classList.contains('printing')");
        await map.IdleAsync();
        Assert.True(await map.Page.Locator("#panel").IsVisibleAsync());
        var after = await map.Page.EvaluateAsync<double[]>("() => { const m = window.settlementMap.view.map; return [m.zoom, m.lat, m.lon]; }");
        Assert.Equal(before, after);
        Assert.Empty(map.ConsoleErrors);
    }

    [Fact]
    public async Task The_sheet_is_worded_in_the_pages_language()
    {
        await using var map = await browser.OpenAsync(FilteredView);
        await map.Page.SelectOptionAsync("#language", "sr-Cyrl");
        await EmulatePrintAsync(map.Page);

        var words = await map.Page.Locator("#print-view").InnerTextAsync();
        Assert.Contains("Филтери: Округ: ", words, StringComparison.Ordinal);
        Assert.Contains("Снабдевање водом: бунари", words, StringComparison.Ordinal);
        Assert.DoesNotMatch("[A-Za-z]{3,}", words); // no English left, no codes
        Assert.Empty(map.ConsoleErrors);
    }

    [Theory]
    [InlineData("landscape")]
    [InlineData("portrait")]
    public async Task The_printed_map_is_one_A4_page_in_the_chosen_orientation(string orientation)
    {
        await using var map = await browser.OpenAsync(FilteredView, 1366, 768);
        await map.IdleAsync();
        await map.Page.SelectOptionAsync("#print-orientation", orientation);
        await EmulatePrintAsync(map.Page);
        await map.IdleAsync();

        Directory.CreateDirectory(MapPageTests.ScreenshotDirectory);
        // The page's own @page size decides the paper, as it does for a person's "Save as PDF".
        var pdf = await map.Page.PdfAsync(new PagePdfOptions
        {
            PreferCSSPageSize = true,
            PrintBackground = true,
            Path = Path.Combine(MapPageTests.ScreenshotDirectory, $"print-a4-{orientation}.pdf"),
        });

        var text = Encoding.Latin1.GetString(pdf);
        Assert.Single(PageObject().Matches(text));
        var box = MediaBox().Match(text);
        Assert.True(box.Success, "no MediaBox in the PDF");
        var width = double.Parse(box.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var height = double.Parse(box.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        // A4 is 595 × 842 points.
        var (expectedWidth, expectedHeight) = orientation == "landscape" ? (842.0, 595.0) : (595.0, 842.0);
        Assert.Equal(expectedWidth, width, 1.0);
        Assert.Equal(expectedHeight, height, 1.0);
        Assert.Empty(map.ConsoleErrors);
    }

    [GeneratedRegex(@"/Type\s*/Page(?![s\w])")]
    private static partial Regex PageObject();

    [GeneratedRegex(@"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")]
    private static partial Regex MediaBox();
}

/// <summary>The printed sheet when the map draws vector tiles: they are drawn again for the sheet's size, inside the map.</summary>
public sealed class TiledPrintTests(TiledBrowserFixture browser) : IClassFixture<TiledBrowserFixture>
{
    [Fact]
    public async Task The_tiles_are_drawn_again_for_the_sheet_inside_its_map()
    {
        await using var map = await browser.OpenAsync("#map=13/43.321/21.9", 1366, 768);
        await map.Page.WaitForFunctionAsync(TilesDrawn);
        var onScreen = await InsideTheMapAsync(map.Page);
        Assert.NotEmpty(onScreen);

        await PrintTests.EmulatePrintAsync(map.Page);
        await map.Page.WaitForFunctionAsync(TilesDrawn);

        // The same area: every settlement in the map on screen is drawn inside the sheet's map.
        Assert.Superset(onScreen, await InsideTheMapAsync(map.Page));
        Assert.Empty(map.ConsoleErrors);
    }

    private const string TilesDrawn = "() => window.settlementMap.drawnTileFeatures().length > 0 && !window.settlementMap.tilesLoading()";

    /// <summary>The settlements the tiles have drawn inside the map's box (tiles reach beyond it).</summary>
    private static async Task<HashSet<int>> InsideTheMapAsync(IPage page)
    {
        var box = await page.Locator("#map").BoundingBoxAsync();
        Assert.NotNull(box);
        var drawn = await page.EvaluateAsync<TileFeature[]>("() => window.settlementMap.drawnTileFeatures().map(f => ({ id: f.id, x: f.x, y: f.y }))");
        return drawn.Where(f => f.X >= box.X && f.X <= box.X + box.Width && f.Y >= box.Y && f.Y <= box.Y + box.Height).Select(f => f.Id).ToHashSet();
    }

    private sealed class TileFeature
    {
        public int Id { get; set; }
        public double X { get; set; }
        public double Y { get; set; }
    }
}
