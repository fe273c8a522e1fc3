using System.Text.Json;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Tests.Ogc.RealClients;
using SettlementMap.Web.Text;

namespace SettlementMap.Tests.Text;

/// <summary>
/// The transliteration exists twice by design: SerbianScript on the server (stored Cyrillic names,
/// OGC labels) and toCyrillic in wwwroot/js/i18n.js (the page's dictionary, notices). Both are run
/// here on the same texts and must give the same Cyrillic, and keep the same acronyms in Latin.
/// </summary>
public sealed class TransliterationAgreementTests
{
    private static readonly string[] Texts =
    [
        "Kragujevac", "Čukarica", "Inđija", "Ljig", "LJUBAV", "NJegoš", "Odžaci", "Niš 2024.",
        "ROMACTED – Promovisanje dobrog upravljanja i osnaživanje Roma na lokalnom nivou",
        "Lokalne inicijative za socijalnu inkluziju mladih Roma (UNDP / UNHCR / UNV)",
        "Livade II", "Stara mahala III", "Ciglana IV", "Potok XII", "Bara IX-a", "I tako", "Mala V",
        "JKP Niš", "CSR Leskovac", "XML i WMS", "ROMACTEDa", "demo: sintetička procena", "VI", "CIVIL",
    ];

    private static readonly string Script = """
        const [module, texts] = process.argv.slice(1);
        const i18n = await import(module);
        console.log(JSON.stringify({ cyrillic: JSON.parse(texts).map(i18n.toCyrillic), acronyms: i18n.LATIN_ACRONYMS }));
        """;

    [Fact]
    public async Task Server_and_page_transliterate_the_same_texts_alike()
    {
        var module = new Uri(Path.Combine(PostgisServer.Paths.WebRoot, "js", "i18n.js")).AbsoluteUri;
        var (exit, output) = await ClientProcess.RunAsync("node", "--input-type=module", "-e", Script, module, JsonSerializer.Serialize(Texts));
        Assert.True(exit == 0, output);
        using var page = JsonDocument.Parse(output.Trim().Split('\n')[^1]);

        var pageCyrillic = page.RootElement.GetProperty("cyrillic").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(Texts.Select(SerbianScript.ToCyrillic), pageCyrillic);
        Assert.Equal(SerbianScript.LatinAcronyms, page.RootElement.GetProperty("acronyms").EnumerateArray().Select(e => e.GetString()!));
        // Not agreement on a no-op: the rule is in force on both sides.
        Assert.Contains("Ливаде II", pageCyrillic);
        Assert.Contains("ROMACTED – Промовисање доброг управљања и оснаживање Рома на локалном нивоу", pageCyrillic);
    }
}
