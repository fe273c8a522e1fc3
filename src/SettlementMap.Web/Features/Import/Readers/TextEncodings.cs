using System.Text;

namespace SettlementMap.Web.Features.Import.Readers;

/// <summary>
/// The text encodings import files come in: UTF-8 decoded strictly (a wrong code page must fail
/// loudly, not turn Serbian letters into mojibake), and the Windows code pages of Serbian data.
/// </summary>
internal static class TextEncodings
{
    static TextEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>UTF-8 that throws on invalid bytes and writes no BOM.</summary>
    public static Encoding StrictUtf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public const string CodePageAdvice = "choose windows-1250 (Latin) or windows-1251 (Cyrillic) as its encoding and import it again";

    /// <summary>Makes sure the Windows code pages can be looked up (the static constructor registers them).</summary>
    public static void EnsureRegistered()
    {
        // The static constructor does the work; this only makes callers touch the type first.
    }

    /// <summary>
    /// The encoding a user or a .cpg file names: "utf-8", "UTF8", "windows-1251", "cp1250", "1251",
    /// "ANSI 1251", "8859-2"… Null when the name is not one .NET knows.
    /// </summary>
    public static Encoding? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var text = name.Trim();
        if (text.StartsWith("ANSI", StringComparison.OrdinalIgnoreCase))
        {
            text = text[4..].Trim(' ', '_', '-'); // ESRI .cpg: "ANSI 1251"
        }

        if (text.Replace("-", "", StringComparison.Ordinal).Equals("utf8", StringComparison.OrdinalIgnoreCase) || text == "65001")
        {
            return StrictUtf8;
        }

        if (text.StartsWith("cp", StringComparison.OrdinalIgnoreCase) && int.TryParse(text.AsSpan(2), out var cp))
        {
            text = cp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (text.StartsWith("8859", StringComparison.Ordinal))
        {
            text = "iso-" + text; // ESRI .cpg: "8859-2"
        }

        try
        {
            EnsureRegistered();
            return int.TryParse(text, out var codePage) ? Encoding.GetEncoding(codePage) : Encoding.GetEncoding(text);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The encoding the user chose in the import options; an unknown name refuses the file.</summary>
    public static Encoding? FromOptions(ImportReadOptions options) =>
        options.Encoding is null
            ? null
            : Find(options.Encoding)
              ?? throw new ImportFileException($"The encoding \"{options.Encoding}\" is not one we know: choose utf-8, windows-1250 (Latin) or windows-1251 (Cyrillic).");

    /// <summary>
    /// The code page a DBF header's language driver byte names, when it names one. 0x00, 0x03 and
    /// 0x57 mean "the writer's own ANSI code page", which says nothing: null, so UTF-8 is tried.
    /// </summary>
    public static Encoding? FromLanguageDriver(byte ldid)
    {
        int? codePage = ldid switch
        {
            0xC8 => 1250,
            0xC9 => 1251,
            0x58 or 0x59 => 1252,
            0x64 or 0x1F or 0x22 or 0x23 or 0x87 => 852,
            0x65 or 0x26 => 866,
            0x01 or 0x09 or 0x0B or 0x0D or 0x0F or 0x11 or 0x15 or 0x18 or 0x19 or 0x1B => 437,
            0x02 or 0x0A or 0x0E or 0x10 or 0x12 or 0x14 or 0x16 or 0x1A or 0x1D or 0x25 or 0x37 => 850,
            _ => null,
        };
        EnsureRegistered();
        return codePage is { } page ? Encoding.GetEncoding(page) : null;
    }

    /// <summary>The name we report: "utf-8", "windows-1251"…</summary>
    public static string NameOf(Encoding encoding) => encoding.WebName;

    /// <summary>True for the UTF-8 encodings (strict or not).</summary>
    public static bool IsUtf8(Encoding encoding) => encoding.CodePage == Encoding.UTF8.CodePage;
}
