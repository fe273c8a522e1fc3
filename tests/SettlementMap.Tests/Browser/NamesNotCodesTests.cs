using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// What a person reads names places and programmes, never by code: the report and the import page in
/// each language show no municipality, district or programme code; a district has the same name on the
/// map and in its report; Cyrillic keeps ROMACTED and Roman numerals in Latin letters; provenance is
/// worded in the page's language; the export offers a CSV headed in that language.
/// </summary>
public sealed partial class NamesNotCodesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Coordinator = DemoAccounts.CoordinatorPrefix + "nis";

    public static TheoryData<string> Languages => new() { "en", "sr-Latn", "sr-Cyrl" };

    // The codes found in the page's visible text, each as a word of its own (not inside a longer name
    // or the account's name coord-nis): exact case, so "nis" is a code and "Niš" a name.
    private const string CodesShown = """
        ({ codes, account }) => {
          const text = document.body.innerText.split(account).join(' ');
          const escape = (c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          return codes.filter((c) => new RegExp('(?<![\\p{L}\\p{N}_.-])' + escape(c) + '(?![\\p{L}\\p{N}_-])', 'u').test(text));
        }
        """;

    /// <summary>Every municipality, district and programme code (programmes also as capitals), except those a name itself contains (ROMACTED).</summary>
    private async Task<string[]> CodesAsync()
    {
        await using var db = browser.App.CreateContext();
        var programmes = await db.Programmes.Select(p => new { p.Code, p.NameEn, p.NameSrLatn, p.NameSrCyrl }).ToListAsync();
        var names = string.Join(' ', programmes.SelectMany(p => new[] { p.NameEn, p.NameSrLatn, p.NameSrCyrl }));
        return [
            .. await db.Municipalities.Select(m => m.Code).ToListAsync(),
            .. await db.Districts.Select(d => d.Code).ToListAsync(),
            .. programmes.SelectMany(p => new[] { p.Code, p.Code.ToUpperInvariant() }).Where(c => !names.Contains(c, StringComparison.Ordinal)),
        ];
    }

    private async Task<MapPage> SignedInAsync(string language)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "en-GB" });
        await context.AddInitScriptAsync($"localStorage.setItem('settlementmap.language', '{language}')");
        var map = await browser.OpenAsync(context: context);
        await map.Page.ClickAsync("#sign-in");
        await map.Page.FillAsync("#sign-in-user", Coordinator);
        await map.Page.FillAsync("#sign-in-password", DemoAccounts.CoordinatorPassword);
        await map.Page.ClickAsync("#sign-in-submit");
        await map.Page.Locator("#sign-out").WaitForAsync();
        return map;
    }

    private async Task OpenAsync(MapPage map, string path)
    {
        await map.Page.GotoAsync(new Uri(browser.BaseAddress, path).ToString());
        await map.ReadyAsync();
    }

    private static async Task AssertNoCodesAsync(MapPage map, string[] codes, string where)
    {
        var shown = await map.Page.EvaluateAsync<string[]>(CodesShown, new { codes, account = Coordinator });
        Assert.True(shown.Length == 0, $"{where} shows codes: {string.Join(", ", shown)}");
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_report_names_municipalities_programmes_and_the_district_as_the_map_does(string language)
    {
        var codes = await CodesAsync();
        await using var map = await SignedInAsync(language);
        var district = await map.Page.Locator("#filter-district option[value='RS.SE.20']").TextContentAsync();

        // Niš's district in mid-2019: ROMACTED and the UNDP youth project cover Niš.
        await OpenAsync(map, "/report.html?district=RS.SE.20&as_of=2019-06-01");
        await Assertions.Expect(map.Page.Locator("#report-title")).ToContainTextAsync(district!);
        await AssertNoCodesAsync(map, codes, "the district's report");
        await OpenAsync(map, "/report.html?municipality=nis&as_of=2019-06-01");
        await AssertNoCodesAsync(map, codes, "Niš's report");
        var text = await map.Page.InnerTextAsync("body");
        Assert.Contains("ROMACTED", text, StringComparison.Ordinal);
        Assert.DoesNotContain("РОМАЦТЕД", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(RomanAsCyrillic(), text);
        // The settlements as they are now (as_of dates them too, and the demo's history may not reach back to 2019):
        // their names keep Roman numerals in Latin letters.
        await OpenAsync(map, "/report.html?municipality=nis");
        await AssertNoCodesAsync(map, codes, "Niš's report today");
        text = await map.Page.InnerTextAsync("body");
        Assert.DoesNotMatch(RomanAsCyrillic(), text);
        Assert.Matches(language == "sr-Cyrl" ? "[А-Яа-яЂ-џ] II\\b" : "[A-Za-zčćšžđ] II\\b", text);
        Assert.Empty(map.ConsoleErrors);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task A_report_without_an_area_says_what_a_report_is_of_in_the_pages_language(string language)
    {
        await using var map = await SignedInAsync(language);
        await OpenAsync(map, "/report.html?as_of=2019-01-01");
        var said = map.Page.Locator("#report-choose-area");
        await Assertions.Expect(said).ToBeVisibleAsync();
        var text = await said.InnerTextAsync();
        Assert.Contains(language switch { "en" => "municipality", "sr-Cyrl" => "општину", _ => "opštinu" }, text, StringComparison.Ordinal);
        // Not the API's English refusal, and no request it would refuse.
        Assert.DoesNotContain("invalid parameters", await map.Page.InnerTextAsync("body"), StringComparison.Ordinal);
        Assert.Empty(map.ConsoleErrors);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_import_page_names_the_coordinators_municipalities_and_words_repairs_for_people(string language)
    {
        var codes = await CodesAsync();
        await using var map = await SignedInAsync(language);
        await OpenAsync(map, "/import.html");
        await Assertions.Expect(map.Page.Locator("#scope")).ToContainTextAsync(language == "sr-Cyrl" ? "Ниш" : "Niš");
        await AssertNoCodesAsync(map, codes, "the import page");

        // The sample has a self-crossing outline (row 4): checked with repair, the repair is listed in words.
        await map.Page.SetInputFilesAsync("#file", Path.Combine(Infrastructure.PostgisServer.Paths.Data, "samples", "naselja_nis_3909.zip"));
        await map.Page.CheckAsync("#repair");
        await map.Page.ClickAsync("#check");
        // Upload and dry run can take a while on a busy machine.
        await Assertions.Expect(map.Page.Locator("#repairs tr")).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await AssertNoCodesAsync(map, codes, "the import report");
        var text = await map.Page.InnerTextAsync("body");
        Assert.DoesNotContain("ST_MakeValid", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Self-intersection", text, StringComparison.Ordinal);
        var expected = new Dictionary<string, (string Outcome, string Repair)>
        {
            ["en"] = ("Dry run:", "The outline crosses itself"),
            ["sr-Latn"] = ("Probni uvoz:", "Obris seče sam sebe"),
            ["sr-Cyrl"] = ("Пробни увоз:", "Обрис сече сам себе"),
        }[language];
        await Assertions.Expect(map.Page.Locator("#outcome")).ToContainTextAsync(expected.Outcome);
        await Assertions.Expect(map.Page.Locator("#repairs tr").Nth(1)).ToContainTextAsync(expected.Repair);
        Assert.Empty(map.ConsoleErrors);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Provenance_is_worded_in_the_page_language_and_the_export_offers_a_CSV_headed_in_it(string language)
    {
        long id;
        await using (var db = browser.App.CreateContext())
        {
            id = await db.Settlements.Where(s => s.Municipality!.Code == "nis" && s.PopulationSource == "demo: synthetic estimate" && s.UpdatedBy!.StartsWith("demo-survey-")).OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        }
        await using var map = await SignedInAsync(language);
        await OpenAsync(map, $"/#selected={id}");
        await map.Page.Locator("#details-body dl").First.WaitForAsync();
        var source = map.Page.Locator("#details-body dd[data-field='population_source']");
        await Assertions.Expect(source).ToHaveTextAsync(new Dictionary<string, string>
        {
            ["en"] = "demo: synthetic estimate",
            ["sr-Latn"] = "demo: sintetička procena",
            ["sr-Cyrl"] = "демо: синтетичка процена",
        }[language]);
        await Assertions.Expect(map.Page.Locator("#details-body dd[data-field='updated_by']")).ToHaveTextAsync(new Regex("20(16|19|23)"));
        await Assertions.Expect(map.Page.Locator("#details-body dd[data-field='updated_by']")).Not.ToHaveTextAsync(new Regex("^demo-survey-"));

        var link = await map.Page.GetAttributeAsync("#export-csv-labels", "href");
        Assert.Contains($"headers=labels&lang={language}", link, StringComparison.Ordinal);
        Assert.Empty(map.ConsoleErrors);
    }

    // A Roman numeral spelt in Cyrillic letters as a word of its own: "Ливаде ИИ".
    [GeneratedRegex(@"(?<!\p{L})(ИИ|ИИИ|ИВ)(?!\p{L})")]
    private static partial Regex RomanAsCyrillic();
}
