using System.Globalization;
using System.Text;
using Npgsql;
using NetTopologySuite.Geometries;

namespace SettlementMap.Web.Features.Editing;

/// <summary>
/// The rules a settlement's values obey whoever writes them: the editing API and the importer
/// both call these (through <see cref="SettlementFields.TryRead(FieldSpec, System.Text.Json.JsonElement, out object?, out RuleError?)"/>,
/// <see cref="SettlementEdit"/> and the overlap SQL below), so a value one path refuses the other
/// refuses too, with the same rule key.
/// </summary>
public static class SettlementRules
{
    public const string TextSurrogate = Http.InputText.LoneSurrogateRule;
    public const string TextControl = Http.InputText.ControlCharacterRule;
    public const string TextFormat = "text.invisible_character";
    public const string TextTooLong = "text.too_long";
    public const string Required = "required";
    public const string NameNoLetter = "name.no_letter";
    public const string CodeFormat = "code.format";
    public const string CodeTaken = "code.taken";
    public const string OutlineInvalid = "outline.invalid";
    public const string OutlineTooManyVertices = "outline.too_many_vertices";
    public const string OutlineOutsideSerbia = "outline.outside_serbia";
    public const string OutlineOutsideMunicipality = "outline.outside_municipality";
    public const string OutlineOverlaps = "outline.overlaps";

    /// <summary>An overlap counts when it is larger than this share of the new outline's area…</summary>
    public const double OverlapShare = 0.01;

    /// <summary>…and larger than this many square metres (digitising slivers are not conflicts).</summary>
    public const double OverlapMinSquareMetres = 10;

    /// <summary>Serbia's extent with a margin of a few kilometres: a coordinate outside it means a wrong CRS or axis order.</summary>
    public static readonly Envelope SerbiaExtent = new(18.7, 23.2, 41.75, 46.3);

    private const char ZeroWidthNonJoiner = '\u200C';
    private const char ZeroWidthJoiner = '\u200D';

    /// <summary>
    /// A text value as it is stored: trimmed and in Unicode NFC. Refused: lone surrogates (not
    /// text; PostgreSQL and the normaliser refuse them), control characters (Cc: NUL, tabs, line
    /// breaks, escapes), invisible format characters (Cf: bidi overrides that make a name read
    /// backwards, zero-width spaces, soft hyphens) except ZWJ/ZWNJ between two letters, line and
    /// paragraph separators, and more than <paramref name="maxLength"/> characters. Null: the
    /// value is empty (only white space), which the caller judges (required or not).
    /// </summary>
    public static RuleError? CleanText(string field, string raw, int maxLength, out string? text)
    {
        ArgumentNullException.ThrowIfNull(raw);
        text = null;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (char.IsHighSurrogate(c) && i + 1 < raw.Length && char.IsLowSurrogate(raw[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return Refusals.BrokenCharacter(field, i + 1);
            }
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.Control)
            {
                return Refusals.ControlCharacter(field, c, i + 1);
            }
            var joinerInWord = c is ZeroWidthJoiner or ZeroWidthNonJoiner && i > 0 && i + 1 < raw.Length
                && char.IsLetter(raw[i - 1]) && char.IsLetter(raw[i + 1]);
            if ((category == UnicodeCategory.Format && !joinerInWord) || category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return Refusals.InvisibleCharacter(field, c, i + 1);
            }
        }
        var normalised = raw.Trim().Normalize(NormalizationForm.FormC);
        if (normalised.Length == 0)
        {
            return null;
        }
        if (normalised.Length > maxLength)
        {
            return Refusals.TooLong(field, maxLength);
        }
        text = normalised;
        return null;
    }

    /// <summary>A refused value as a message or report shows it: broken and control characters as U+FFFD (JSON writers and PostgreSQL refuse them).</summary>
    public static string Printable(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var chars = raw.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]) || char.IsControl(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }
        return new string(chars);
    }

    /// <summary>A name needs a letter or digit: a name of only dots, dashes or combining marks shows as nothing.</summary>
    public static RuleError? CheckName(string field, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Any(char.IsLetterOrDigit)
            ? null
            : Refusals.NoLetter(field);
    }

    /// <summary>Whether an outline (lon/lat) lies within Serbia's extent.</summary>
    public static bool InSerbia(Envelope extent) => SerbiaExtent.Covers(extent);

    /// <summary>
    /// The overlap rule as an SQL condition on two outlines (SRID 4326): equal, or sharing more than
    /// <see cref="OverlapShare"/> of <paramref name="outline"/>'s area and more than
    /// <see cref="OverlapMinSquareMetres"/>. The same text serves the API's check and the
    /// importer's (against stored settlements and between rows of one file); its two numbers
    /// travel as the parameters <see cref="AddOverlapParameters"/> adds.
    /// </summary>
    public static string OverlapCondition(string outline, string other) =>
        $"ST_Intersects({other}, {outline}) AND (ST_Equals({other}, {outline}) OR ST_Area(ST_Intersection({other}, {outline})::geography) > greatest(@overlap_m2, @overlap_share * ST_Area({outline}::geography)))";

    public static void AddOverlapParameters(NpgsqlParameterCollection parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Add(new NpgsqlParameter<double>("overlap_m2", OverlapMinSquareMetres));
        parameters.Add(new NpgsqlParameter<double>("overlap_share", OverlapShare));
    }

    /// <summary>The overlap rule's refusal, naming what the outline overlaps (and, when it is a settlement, its code).</summary>
    public static RuleError Overlap(string what, string? settlement = null) => Refusals.Overlaps(what, settlement);

    public static RuleError OutsideMunicipality(string municipality) => Refusals.OutsideMunicipality(municipality);

    public static RuleError CodeTakenBy(string code) => Refusals.CodeTaken(code);
}
