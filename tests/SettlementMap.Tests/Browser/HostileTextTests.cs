using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Tests.Import;
using SettlementMap.Web.Data;
using SettlementMap.Web.Data.Demo;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// Markup in the forms a stored script takes (an element with a handler, a script element, an
/// attribute breakout, an iframe with its own document). Each one that runs pushes its tag onto
/// window.__xss, and the first form also opens a dialog.
/// </summary>
public static class Hostile
{
    public static string Text(string tag, int form) => (form % 4) switch
    {
        0 => $"<img src=x onerror=\"__xss.push('{tag}');alert('{tag}')\"> {tag}",
        1 => $"<script>__xss.push('{tag}')</script> {tag}",
        2 => $"\"><svg onload=\"__xss.push('{tag}')\"> {tag}",
        _ => $"'><iframe srcdoc=\"<script>parent.__xss.push('{tag}')</script>\"></iframe> {tag}",
    };

    public static readonly string SettlementLatn = Text("settlement.name_latn", 0);
    public static readonly string SettlementCyrl = Text("settlement.name_cyrl", 2);
    public static readonly string SettlementSource = Text("settlement.source", 1);
    public static readonly string PopulationSource = Text("settlement.population_source", 3);
    public static readonly string MunicipalityLatn = Text("municipality.name_latn", 1);
    public static readonly string MunicipalityCyrl = Text("municipality.name_cyrl", 3);
    public static readonly string DistrictLatn = Text("district.name_latn", 0);
    public static readonly string DistrictCyrl = Text("district.name_cyrl", 1);
    public static readonly string DistrictEn = Text("district.name_en", 2);
    public static readonly string ProgrammeEn = Text("programme.name_en", 3);
    public static readonly string ProgrammeLatn = Text("programme.name_sr_latn", 0);
    public static readonly string ProgrammeCyrl = Text("programme.name_sr_cyrl", 2);
    public static readonly string CoverageSource = Text("coverage.source", 0);
    public static readonly string CoverageNote = Text("coverage.note", 2);
    public static readonly string MappingName = Text("mapping.name", 1).ToLowerInvariant();
    public static readonly string Attribution = Text("base.attribution", 0);
    public static readonly string Notice = Text("data_notice", 3);
    public static readonly string Edited = Text("edit.name_latn", 0);
    public static readonly string Column = Text("import.column", 2);
    public static readonly string Value = Text("import.value", 0);
}

/// <summary>
/// A fresh demo database in which every text the pages show from the data (settlements,
/// municipalities, districts, programmes, coverage records, saved mappings) and from the
/// configuration (notice, base-map attribution) is markup; a base map is configured (its tiles
/// fail offline, which is expected) so its attribution is shown.
/// </summary>
public sealed class HostileTextFixture(IMessageSink messageSink) : BrowserFixture(messageSink, new Dictionary<string, string>
{
    ["Map:BaseLayer:Url"] = TileTemplate,
    ["Map:BaseLayer:Attribution"] = Hostile.Attribution,
    ["Map:DataNotice"] = Hostile.Notice,
})
{
    public const string TileTemplate = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = App.CreateContext();
        foreach (var s in await db.Settlements.ToListAsync())
        {
            (s.NameLatn, s.NameCyrl, s.Source, s.PopulationSource) = (Hostile.SettlementLatn, Hostile.SettlementCyrl, Hostile.SettlementSource, Hostile.PopulationSource);
        }
        foreach (var m in await db.Municipalities.ToListAsync())
        {
            (m.NameLatn, m.NameCyrl) = (Hostile.MunicipalityLatn, Hostile.MunicipalityCyrl);
        }
        foreach (var d in await db.Districts.ToListAsync())
        {
            (d.NameLatn, d.NameCyrl, d.NameEn) = (Hostile.DistrictLatn, Hostile.DistrictCyrl, Hostile.DistrictEn);
        }
        foreach (var p in await db.Programmes.ToListAsync())
        {
            (p.NameEn, p.NameSrLatn, p.NameSrCyrl) = (Hostile.ProgrammeEn, Hostile.ProgrammeLatn, Hostile.ProgrammeCyrl);
        }
        foreach (var c in await db.Coverage.ToListAsync())
        {
            (c.Source, c.Note) = (Hostile.CoverageSource, Hostile.CoverageNote);
        }
        db.Add(new SavedImportMapping { Name = Hostile.MappingName, Mapping = """{"columns":{}}""", SavedBy = DemoAccounts.AdministratorName, SavedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }
}

/// <summary>
/// Every kind of tooltip hovered, every panel, list, legend and page opened with markup in every
/// text: no script runs (no window flag, no dialog, no element with an inline handler, no script
/// or iframe created, no Content-Security-Policy violation) and the markup reads as text.
/// </summary>
public sealed class HostileTextTests(HostileTextFixture browser) : IClassFixture<HostileTextFixture>
{
    /// <summary>A point where the first of the elements is the topmost one (so hovering it reaches it), or null.</summary>
    private const string TopmostPoint = """
        (selector) => {
          const frame = document.getElementById('map').getBoundingClientRect();
          for (const node of document.querySelectorAll(selector)) {
            const box = node.getBoundingClientRect();
            const left = Math.max(box.left, frame.left), right = Math.min(box.right, frame.right);
            const top = Math.max(box.top, frame.top), bottom = Math.min(box.bottom, frame.bottom);
            if (right - left < 1 || bottom - top < 1) continue;
            for (let i = 1; i < 16; i++) for (let j = 1; j < 16; j++) {
              const x = left + ((right - left) * i) / 16, y = top + ((bottom - top) * j) / 16;
              if (document.elementFromPoint(x, y) === node) return [x, y];
            }
          }
          return null;
        }
        """;

    /// <summary>
    /// The text of the one tooltip on screen, or null. (Leaflet can leave a tooltip open far off screen
    /// when the map zooms under the pointer; only the shown ones count.)
    /// </summary>
    private const string ShownTooltip = """
        () => {
          const shown = [...document.querySelectorAll('.leaflet-tooltip')].filter((t) => {
            const b = t.getBoundingClientRect();
            return b.right > 0 && b.bottom > 0 && b.left < innerWidth && b.top < innerHeight;
          });
          return shown.length === 1 ? shown[0].textContent : null;
        }
        """;

    /// <summary>Hovers one of the paths and returns the tooltip's text, after checking that it holds text only.</summary>
    private static async Task<string> HoverTooltipAsync(WatchedPage watched, string selector)
    {
        var page = watched.Page;
        await page.Mouse.MoveAsync(5, 795); // over the panel, off the map: the last tooltip closes
        await page.WaitForFunctionAsync("() => (" + ShownTooltip + ")() === null");
        var point = await page.EvaluateAsync<float[]?>(TopmostPoint, selector);
        Assert.True(point is not null, $"no {selector} to hover");
        await page.Mouse.MoveAsync(point[0], point[1]);
        var text = await (await page.WaitForFunctionAsync(ShownTooltip)).JsonValueAsync<string>();
        Assert.Equal(0, await page.Locator(".leaflet-tooltip").Locator("img, svg, script, iframe").CountAsync());
        await watched.AssertNothingRanAsync("tooltip of " + selector);
        return text;
    }

    /// <summary>The selected settlement's outline (drawn in black).</summary>
    private const string Selected = "path.settlement[stroke='#000']";

    private Uri At(string path) => new(browser.BaseAddress, path);

    [Fact]
    public async Task Every_tooltip_of_the_map_shows_markup_as_text_and_runs_nothing()
    {
        await using var watched = await WatchedPage.OpenAsync(browser.Browser, At("/"));
        var page = watched.Page;
        await page.EvaluateAsync("() => window.settlementMap.ready");
        await watched.AssertNothingRanAsync("the map opened");
        Assert.Equal(Hostile.Notice, await page.TextContentAsync("#data-notice"));
        Assert.Contains(Hostile.Attribution, await page.TextContentAsync(".leaflet-control-attribution"), StringComparison.Ordinal);

        // Country zoom: a marker stands in for each settlement, over the municipalities.
        Assert.Equal(Hostile.SettlementLatn, await HoverTooltipAsync(watched, "path.settlement-point"));
        Assert.StartsWith(Hostile.MunicipalityLatn, await HoverTooltipAsync(watched, "path.municipality"), StringComparison.Ordinal);
        await page.SelectOptionAsync("#choropleth", "settlement_count");
        Assert.StartsWith(Hostile.MunicipalityLatn + " — ", await HoverTooltipAsync(watched, "path.municipality"), StringComparison.Ordinal);
        await page.SelectOptionAsync("#choropleth", "none");

        // Each coverage overlay (the kinds, the programmes, the gap) alone, then its tooltip.
        var overlays = await page.Locator("input[data-overlay]").EvaluateAllAsync<string[]>("(inputs) => inputs.map((i) => i.dataset.overlay)");
        Assert.Contains("gap", overlays);
        Assert.Contains(overlays, o => o.StartsWith("programme:", StringComparison.Ordinal));
        var programmesHovered = 0;
        foreach (var overlay in overlays)
        {
            var id = "#overlay-" + overlay.Replace(':', '-');
            await page.CheckAsync(id);
            var paths = "path.coverage-" + overlay.Replace(':', '-');
            if (await page.Locator(paths).CountAsync() > 0)
            {
                var text = await HoverTooltipAsync(watched, paths);
                Assert.StartsWith(Hostile.MunicipalityLatn + " — ", text, StringComparison.Ordinal);
                if (overlay.StartsWith("programme:", StringComparison.Ordinal))
                {
                    programmesHovered += 1;
                    Assert.Contains(Hostile.ProgrammeEn, text, StringComparison.Ordinal);
                    Assert.Contains(Hostile.ProgrammeEn, await page.TextContentAsync($".legend [data-legend='overlay-{overlay}'] h2"), StringComparison.Ordinal);
                }
            }
            await page.UncheckAsync(id);
        }
        Assert.True(programmesHovered > 0, "no programme covers a municipality today");
        Assert.Contains(Hostile.ProgrammeEn, await page.TextContentAsync("#coverage-controls"), StringComparison.Ordinal);
        Assert.Contains(Hostile.ProgrammeEn, await page.TextContentAsync("#coverage-figures"), StringComparison.Ordinal);

        // In Cyrillic the other names show, as text too.
        await page.SelectOptionAsync("#language", "sr-Cyrl");
        Assert.Equal(Hostile.SettlementCyrl, await HoverTooltipAsync(watched, "path.settlement-point"));
        Assert.StartsWith(Hostile.MunicipalityCyrl, await HoverTooltipAsync(watched, "path.municipality"), StringComparison.Ordinal);
        await page.CheckAsync("#overlay-gap");
        Assert.StartsWith(Hostile.MunicipalityCyrl + " — ", await HoverTooltipAsync(watched, "path.coverage-gap"), StringComparison.Ordinal);
        await page.UncheckAsync("#overlay-gap");
        await page.SelectOptionAsync("#language", "en");

        // A settlement chosen from the list: its outline (city zoom) has a tooltip of its own.
        await page.ClickAsync("#results li:first-child button");
        await page.Locator("#details-body dl").First.WaitForAsync();
        await page.EvaluateAsync("() => window.settlementMap.idle()");
        var title = await page.TextContentAsync("#details-title");
        Assert.Equal(title, await HoverTooltipAsync(watched, Selected));
        Assert.Contains(title, new[] { Hostile.SettlementLatn, Hostile.Edited }); // the other test may have renamed it
    }

    [Fact]
    public async Task The_panel_the_search_the_details_and_an_edit_by_a_coordinator_show_markup_as_text()
    {
        await using var watched = await WatchedPage.OpenAsync(browser.Browser, At("/"));
        var page = watched.Page;
        await page.EvaluateAsync("() => window.settlementMap.ready");
        Assert.Equal(Hostile.SettlementLatn, await page.TextContentAsync("#results li:first-child .name"));
        Assert.StartsWith(Hostile.MunicipalityLatn, await page.TextContentAsync("#results li:first-child .meta"), StringComparison.Ordinal);
        var districts = await page.Locator("#filter-district option").AllTextContentsAsync();
        // A district has one name in each language, in English its Latin name as in the details and the report (issue 22).
        Assert.Contains(Hostile.DistrictLatn, districts);
        Assert.Contains(Hostile.MunicipalityLatn, await page.Locator("#filter-municipality option").AllTextContentsAsync());

        // A district chosen: its figures and report link name it.
        var district = await page.Locator("#filter-district option:nth-child(2)").GetAttributeAsync("value");
        await page.SelectOptionAsync("#filter-district", district!);
        await page.EvaluateAsync("() => window.settlementMap.idle()");
        await Assertions.Expect(page.Locator("#coverage-figures [data-report=district]")).ToContainTextAsync(Hostile.DistrictLatn);
        await watched.AssertNothingRanAsync("a district chosen");

        await page.FillAsync("#search-input", "img src");
        var found = page.Locator("#search-results li[data-id] .name").First;
        await found.WaitForAsync();
        Assert.Contains(await page.Locator("#search-results li[data-id] .name").AllTextContentsAsync(), t => t == Hostile.SettlementLatn || t == Hostile.MunicipalityLatn);
        await watched.AssertNothingRanAsync("the search");
        await page.Keyboard.PressAsync("Escape");

        // The attack: a coordinator saves markup as a name through the form.
        await watched.SignInAsync(DemoAccounts.CoordinatorPrefix + "nis", DemoAccounts.CoordinatorPassword);
        await page.SelectOptionAsync("#filter-district", "");
        await page.SelectOptionAsync("#filter-municipality", "nis");
        await page.EvaluateAsync("() => window.settlementMap.idle()");
        await page.ClickAsync("#results li:first-child button");
        await page.Locator("#details-body dl").First.WaitForAsync();
        Assert.Equal(Hostile.SettlementLatn, await page.TextContentAsync("#details-title"));
        Assert.StartsWith(Hostile.SettlementCyrl + " · " + Hostile.MunicipalityLatn, await page.TextContentAsync("#details-subtitle"), StringComparison.Ordinal);
        Assert.Equal(Hostile.SettlementSource, await page.TextContentAsync("#details-body [data-field=source]"));
        Assert.Equal(Hostile.PopulationSource, await page.TextContentAsync("#details-body [data-field=population_source]"));
        Assert.Equal(Hostile.DistrictLatn, await page.TextContentAsync("#details-body [data-field~=district_name_latn]"));
        await page.ClickAsync("#edit-attributes");
        Assert.Equal(Hostile.SettlementLatn, await page.InputValueAsync("#edit-name_latn"));
        await page.FillAsync("#edit-name_latn", Hostile.Edited);
        await page.ClickAsync("#edit-save");
        await page.Locator("#edit-message", new PageLocatorOptions { HasText = "Saved." }).WaitForAsync();
        Assert.Equal(Hostile.Edited, await page.TextContentAsync("#details-title"));
        var change = page.Locator("#history li[data-change] [data-field=name_latn]");
        await Assertions.Expect(change).ToContainTextAsync(Hostile.SettlementLatn + " → " + Hostile.Edited);
        Assert.Equal(Hostile.Edited, await HoverTooltipAsync(watched, Selected));
        Assert.Contains(Hostile.Edited, await page.Locator("#results .name").AllTextContentsAsync());
        // Leaflet-Geoman's vertex handles under the policy.
        await page.ClickAsync("#edit-outline");
        await page.Locator(".marker-icon").First.WaitForAsync();
        await page.ClickAsync("#outline-cancel");
        await watched.AssertNothingRanAsync("the edit");
    }

    [Fact]
    public async Task The_reports_of_a_municipality_and_a_district_show_markup_as_text()
    {
        string district;
        await using (var db = browser.App.CreateContext())
        {
            district = await db.Municipalities.Where(m => m.Code == "nis").Select(m => m.District!.Code).SingleAsync();
        }
        foreach (var (query, title) in new[] { ("municipality=nis", Hostile.MunicipalityLatn), ("district=" + district, Hostile.DistrictLatn) })
        {
            await using var watched = await WatchedPage.OpenAsync(browser.Browser, At("/report.html?" + query));
            await watched.Page.EvaluateAsync("() => window.settlementMap.ready");
            Assert.Equal("Summary report: " + title, await watched.Page.TextContentAsync("#report-title"));
            Assert.Contains(Hostile.SettlementLatn, await watched.Page.Locator("tr[data-id] td:first-child").AllTextContentsAsync());
            Assert.Equal(Hostile.Notice, await watched.Page.TextContentAsync("#report-notice"));
            await watched.AssertNothingRanAsync("report " + query);
            }
    }

    [Fact]
    public async Task The_import_page_and_its_printable_report_show_markup_from_the_file_and_the_saved_mappings_as_text()
    {
        var folder = Directory.CreateTempSubdirectory("hostile-import-");
        var file = Path.Combine(folder.FullName, "hostile.geojson");
        var spot = (await ImportSteps.FreeSpotsAsync(browser.App.ConnectionString, "nis", 1))[0];
        await File.WriteAllTextAsync(file, ImportSteps.FeatureCollection((ImportSteps.Square(spot.Lon, spot.Lat), new Dictionary<string, string>
        {
            ["šifra"] = "HOST-001", ["naziv"] = "A", ["opština"] = "nis", ["vodosnabdevanje"] = Hostile.Value, [Hostile.Column] = "x",
        })));

        await using var watched = await WatchedPage.OpenAsAdministratorAsync(browser.Browser, browser.BaseAddress, "/import.html");
        var page = watched.Page;
        await page.EvaluateAsync("() => window.settlementMap.ready");
        Assert.Contains(Hostile.MappingName, await page.Locator("#mapping option").AllTextContentsAsync());
        await page.SetInputFilesAsync("#file", file);
        await page.ClickAsync("#check");
        await Assertions.Expect(page.Locator("#report")).ToBeVisibleAsync();
        Assert.Contains(Hostile.Column, await page.Locator("#columns td:first-child").AllTextContentsAsync());
        await Assertions.Expect(page.Locator("#problems")).ToContainTextAsync(Hostile.Value);
        await watched.AssertNothingRanAsync("the import's dry run");

        await page.GotoAsync(new Uri(At("/import.html"), await page.GetAttributeAsync("#html-report", "href")).ToString());
        Assert.Contains(Hostile.Column, await page.TextContentAsync("body"), StringComparison.Ordinal);
        await watched.AssertNothingRanAsync("the import's printable report");
    }

    [Fact]
    public async Task The_coverage_editor_shows_markup_in_names_programmes_and_records_as_text()
    {
        await using var watched = await WatchedPage.OpenAsAdministratorAsync(browser.Browser, browser.BaseAddress, "/coverage.html?municipality=nis");
        var page = watched.Page;
        await page.EvaluateAsync("() => window.settlementMap.ready");
        Assert.Contains(Hostile.MunicipalityLatn, await page.Locator("#municipality option").AllTextContentsAsync());
        Assert.Contains(Hostile.ProgrammeEn, await page.Locator("#f-programme_code option").AllTextContentsAsync());
        var cells = await page.Locator("#records td").AllTextContentsAsync();
        Assert.Contains(Hostile.CoverageSource, cells);
        await watched.AssertNothingRanAsync("the coverage editor");
    }
}
