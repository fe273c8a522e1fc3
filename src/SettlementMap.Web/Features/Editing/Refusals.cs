using System.Globalization;

namespace SettlementMap.Web.Features.Editing;

/// <summary>
/// A broken rule: a stable rule key (what tests and the importer's report match on), a code with
/// parameters (what a page words in its own language, with the field's label) and the English
/// message for API clients. Only <see cref="Refusals"/> builds one, so the message and the code
/// with its parameters come from the same values and cannot drift apart.
/// </summary>
public sealed record RuleError
{
    internal RuleError(string rule, string code, IReadOnlyDictionary<string, object?> parameters, string message)
    {
        Rule = rule;
        Code = code;
        Params = parameters;
        Message = message;
    }

    public string Rule { get; }

    public string Code { get; }

    public IReadOnlyDictionary<string, object?> Params { get; }

    public string Message { get; }

    /// <summary>The code and its parameters as a problem's <c>error_codes</c> lists them.</summary>
    public ErrorCode ToErrorCode() => new(Code, Params);
}

/// <summary>One entry of a problem's <c>error_codes</c> (and of a whole-request problem's <c>error_code</c>).</summary>
public sealed record ErrorCode(string Code, IReadOnlyDictionary<string, object?> Params);

/// <summary>
/// Every refusal of a settlement's values, declared once: its code, its parameters and its English
/// message. The page words the code (i18n.js "problem.&lt;code&gt;") with the field's label from the
/// schema; an API client reads the message.
/// </summary>
public static class Refusals
{
    private static RuleError Make(string rule, string code, string message, params (string Name, object? Value)[] parameters) =>
        new(rule, code, parameters.ToDictionary(p => p.Name, p => Writable(p.Value), StringComparer.Ordinal), message);

    /// <summary>JSON has no infinity or NaN (a file's coordinates can be either): those travel as text.</summary>
    private static object? Writable(object? value) =>
        value is double d && !double.IsFinite(d) ? d.ToString(CultureInfo.InvariantCulture) : value;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Unit(string? unit) => unit is null ? "" : " " + unit;

    // ---- values of one field

    public static RuleError Required(string field) => Make(SettlementRules.Required, "required", $"{field} is required.");

    public static RuleError RequiredChoice(string field) =>
        Make(SettlementRules.Required, "required_choice", $"{field} cannot be empty; use 'unknown' when it is not known.");

    public static RuleError NotText(string field, object? got, string described) =>
        Make(SettlementFields.InvalidValue, "not_text", $"{field} must be text; got {described}.", ("got", got));

    public static RuleError NotWholeNumber(string field, decimal? min, decimal? max, object? got, string described) =>
        Make(SettlementFields.InvalidValue, "not_integer", Invariant($"{field} must be a whole number from {min} to {max}; got {described}."),
            ("min", min), ("max", max), ("got", got));

    public static RuleError NotNumber(string field, decimal? min, decimal? max, object? got, string described) =>
        Make(SettlementFields.InvalidValue, "not_number", Invariant($"{field} must be a number from {min} to {max}; got {described}."),
            ("min", min), ("max", max), ("got", got));

    public static RuleError OutOfRange(string field, decimal? min, decimal? max, string? unit, decimal got) =>
        Make(SettlementFields.InvalidValue, "range", Invariant($"{field} must be from {min} to {max}{Unit(unit)}; got {got}."),
            ("min", min), ("max", max), ("unit", unit), ("got", got));

    public static RuleError NotDecade(string field, int got) =>
        Make(SettlementFields.InvalidValue, "not_decade", Invariant($"{field} is the first year of a decade, such as 1970; got {got}."), ("got", got));

    public static RuleError TooManyDecimals(string field, int decimals, decimal got) =>
        Make(SettlementFields.InvalidValue, "too_many_decimals", Invariant($"{field} takes at most two decimals; got {got}."),
            ("decimals", decimals), ("got", got));

    public static RuleError NotInList(string field, string list, IReadOnlyList<string> allowed, object? got, string described) =>
        Make(SettlementFields.InvalidValue, "not_in_list", $"{field} must be one of {string.Join(", ", allowed)}; got {described}.",
            ("list", list), ("allowed", allowed), ("got", got));

    public static RuleError NotDate(string field, object? got, string described) =>
        Make(SettlementFields.InvalidValue, "not_date", $"{field} must be a date written yyyy-MM-dd; got {described}.", ("got", got));

    public static RuleError FutureDate(string field) => Make(SettlementFields.InvalidValue, "future_date", $"{field} cannot be in the future.");

    public static RuleError FutureYear(string field, int got) =>
        Make(SettlementFields.InvalidValue, "future_year", Invariant($"{field} cannot be in the future; got {got}."), ("got", got));

    /// <summary>A value above another field's (households above the inhabitants).</summary>
    public static RuleError Exceeds(string field, int value, string other, int otherValue) =>
        Make(SettlementFields.InvalidValue, "exceeds_field", Invariant($"{field} ({value}) cannot exceed {other} ({otherValue})."),
            ("got", value), ("other", other), ("other_value", otherValue));

    // ---- text

    public static RuleError BrokenCharacter(string field, int position) =>
        Make(SettlementRules.TextSurrogate, "broken_character",
            Invariant($"{field} contains a broken character (a lone UTF-16 surrogate at position {position}); retype it."), ("position", position));

    public static RuleError ControlCharacter(string field, char c, int position) =>
        Make(SettlementRules.TextControl, "control_character",
            Invariant($"{field} contains a control character (U+{(int)c:X4} at position {position}): names and texts are one line of visible characters."),
            ("character", CodePoint(c)), ("position", position));

    public static RuleError InvisibleCharacter(string field, char c, int position) =>
        Make(SettlementRules.TextFormat, "invisible_character",
            Invariant($"{field} contains an invisible character (U+{(int)c:X4} at position {position}, such as a zero-width space or a text-direction override); remove it."),
            ("character", CodePoint(c)), ("position", position));

    public static RuleError TooLong(string field, int max) =>
        Make(SettlementRules.TextTooLong, "too_long", Invariant($"{field} is longer than {max} characters."), ("max", max));

    public static RuleError NoLetter(string field) =>
        Make(SettlementRules.NameNoLetter, "no_letter", $"{field} has no letter: a name is written with letters (and digits).");

    private static string CodePoint(char c) => Invariant($"U+{(int)c:X4}");

    // ---- the request's members and keys

    public static RuleError CrsNotAccepted() =>
        Make(SettlementFields.InvalidValue, "crs_not_accepted", "A crs member is not accepted: GeoJSON (RFC 7946) coordinates are always WGS 84 longitude, latitude.");

    public static RuleError UnknownMember(string name) =>
        Make(SettlementFields.InvalidValue, "unknown_member", $"Unknown member '{name}': send a GeoJSON Feature with properties and/or geometry.", ("name", name));

    public static RuleError NotFeature() => Make(SettlementFields.InvalidValue, "not_feature", "type must be \"Feature\" when given.");

    public static RuleError NotObject(string field) => Make(SettlementFields.InvalidValue, "not_object", $"{field} must be an object.");

    public static RuleError UnknownField(string name) => Make(SettlementFields.InvalidValue, "unknown_field", $"Unknown field '{name}'.", ("name", name));

    public static RuleError ReadOnly(string field) => Make(SettlementFields.InvalidValue, "read_only", $"{field} is kept by the server and cannot be set.");

    public static RuleError MunicipalityCodeFormat() =>
        Make(SettlementFields.InvalidValue, "municipality_code_format", "municipality_code must be a municipality code such as 'nis'.");

    public static RuleError UnknownMunicipality(string code) =>
        Make(SettlementFields.InvalidValue, "unknown_municipality", $"No municipality has the code '{code}'.", ("code", code));

    public static RuleError CodeFormat() =>
        Make(SettlementRules.CodeFormat, "code_format", "code must be 3 to 64 characters: capital letters, digits and '-', such as NIS-014.");

    public static RuleError CodeTaken(string code) => Make(SettlementRules.CodeTaken, "code_taken", $"Another settlement already has the code {code}.", ("code", code));

    public static RuleError NameRequired() =>
        Make(SettlementRules.Required, "name_required", "A new settlement needs a name (Latin or Cyrillic; the other script is filled in).");

    // ---- outlines

    public static RuleError GeometryRequired() =>
        Make(SettlementRules.Required, "geometry_required", "A new settlement needs its outline (a GeoJSON Polygon or MultiPolygon).");

    /// <summary>A structural mistake in the GeoJSON geometry; <paramref name="path"/> names where (coordinates[0][3]).</summary>
    public static RuleError GeometryStructure(string message, string? path = null) =>
        Make(SettlementRules.OutlineInvalid, "invalid_geometry", message, ("path", path));

    public static RuleError NotPolygon(string? type) =>
        Make(SettlementRules.OutlineInvalid, "not_polygon", $"A settlement outline is a Polygon or MultiPolygon, not {type}.", ("type", type));

    public static RuleError RingTooShort(string path, int count) =>
        Make(SettlementRules.OutlineInvalid, "ring_too_short",
            Invariant($"{path} has {count} positions; a ring needs at least 4 (three corners and the first again to close it)."), ("path", path), ("got", count));

    public static RuleError RingNotClosed(string path) =>
        Make(SettlementRules.OutlineInvalid, "ring_not_closed", $"{path} is not closed: its last position must repeat the first.", ("path", path));

    public static RuleError Position3D(string path, int count) =>
        Make(SettlementRules.OutlineInvalid, "position_3d",
            Invariant($"{path} has {count} numbers: 3D coordinates (elevation) are not accepted; give [longitude, latitude]."), ("path", path));

    public static RuleError PositionOutOfRange(string path, double lon, double lat) =>
        Make(SettlementRules.OutlineInvalid, "position_out_of_range",
            Invariant($"{path} ({lon}, {lat}) is out of range: longitude −180…180, latitude −90…90 (RFC 7946 order is longitude first)."),
            ("path", path), ("lon", lon), ("lat", lat));

    public static RuleError SelfIntersecting(string reason, double? lon, double? lat) =>
        Make(SettlementRules.OutlineInvalid, "self_intersecting",
            $"The outline is not a valid polygon: {reason}{(lon is null ? "" : Invariant($" at or near ({lon:0.######}, {lat:0.######})"))}. Outlines must not cross themselves or overlap their own parts.",
            ("reason", reason), ("lon", lon), ("lat", lat));

    public static RuleError NoArea() => Make(SettlementRules.OutlineInvalid, "no_area", "The outline encloses no area.");

    public static RuleError TooManyVertices(int max) =>
        Make(SettlementRules.OutlineTooManyVertices, "too_many_vertices", Invariant($"The outline has more than {max} positions."), ("max", max));

    public static RuleError OutsideSerbia() =>
        Make(SettlementRules.OutlineOutsideSerbia, "outside_serbia", "The outline lies outside Serbia: coordinates are WGS 84 longitude, latitude.");

    public static RuleError OutsideMunicipalities() =>
        Make(SettlementRules.OutlineOutsideMunicipality, "outside_municipalities", "The outline is not inside any municipality of Serbia.");

    public static RuleError OutsideMunicipality(string municipality) =>
        Make(SettlementRules.OutlineOutsideMunicipality, "outside_municipality",
            $"The outline is not inside the municipality of {municipality} (its boundary is approximate: a margin of about 50 m is allowed).",
            ("municipality", municipality), ("margin_m", 50));

    /// <summary>The overlap rule, naming the settlement (by code) the outline overlaps.</summary>
    public static RuleError Overlaps(string what, string? settlement) =>
        Make(SettlementRules.OutlineOverlaps, "overlaps",
            Invariant($"The outline overlaps {what} by more than {SettlementRules.OverlapShare:P0} of its area (and {SettlementRules.OverlapMinSquareMetres} m²): settlements do not overlap."),
            ("settlement", settlement), ("share_pct", SettlementRules.OverlapShare * 100), ("min_m2", SettlementRules.OverlapMinSquareMetres));

    // ---- outlines as the importer reads them (any geometry type, in a file's CRS)

    public static RuleError EmptyOutline() => Make(SettlementRules.OutlineInvalid, "empty_outline", "The outline is empty.");

    public static RuleError NotPolygonGeometry(string type) =>
        Make(SettlementRules.OutlineInvalid, "not_polygon", $"The geometry is a {type}; a settlement's outline must be a Polygon or MultiPolygon.", ("type", type));

    public static RuleError OutlineHeights() => Make(SettlementRules.OutlineInvalid, "outline_heights", "The outline has heights (3D, Z values): export it in 2D.");

    /// <summary>A point or outline of a file outside Serbia, read in <paramref name="crs"/>: most often the wrong coordinate system.</summary>
    public static RuleError OutsideSerbiaAt(string what, string crs, double lon, double lat) =>
        Make(SettlementRules.OutlineOutsideSerbia, "outside_serbia_at",
            Invariant($"The {what} lies outside Serbia (read as {crs}, it is at {lon:0.####} E, {lat:0.####} N): is the coordinate system right?"),
            ("what", what), ("crs", crs), ("lon", lon), ("lat", lat));

    /// <summary>An outline PostGIS finds invalid; <paramref name="repairable"/>: the import may repair it (else repairing left no area).</summary>
    public static RuleError InvalidOutline(string reason, bool repairable) =>
        repairable
            ? Make(SettlementRules.OutlineInvalid, "invalid_outline", $"The outline is not valid ({reason}). Fix it, or check the file again asking to repair invalid outlines.", ("reason", reason))
            : Make(SettlementRules.OutlineInvalid, "repair_leaves_no_area", $"The outline is not valid ({reason}) and repairing it leaves no area.", ("reason", reason));

    // ---- dates of changes: the day an edit was observed (valid_from), the day an imported survey describes (describes)

    public static RuleError NotChangeInstant(string field, string got) =>
        Make(SettlementFields.InvalidValue, "not_change_instant",
            $"{field} is a date (2015-06-30: from the start of that day, UTC) or an RFC 3339 date-time with its offset (2015-06-30T09:00:00+02:00); got '{got}'.",
            ("got", got));

    public static RuleError ChangeBeforeEarliest(string field, DateOnly earliest) =>
        Make(SettlementFields.InvalidValue, "change_too_early", Invariant($"{field} cannot be before {earliest:yyyy-MM-dd}."),
            ("earliest", earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    /// <summary>A change dated before the settlement's current version began: history that later changes stand on.</summary>
    public static RuleError BeforeCurrentVersion(string field, DateTimeOffset since) =>
        Make(SettlementFields.InvalidValue, "before_current_version",
            Invariant($"{field} cannot be before {since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, when the settlement's current version began: a change dated earlier would rewrite the history that later changes stand on. Import an older survey to add history."),
            ("since", since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));

    // ---- requests as a whole (restore, versions)

    public static RuleError UnknownChange() => Make(SettlementFields.InvalidValue, "unknown_change", "Name a change of this settlement's history.");

    public static RuleError NoEarlierVersion() =>
        Make(SettlementFields.InvalidValue, "no_earlier_version", "This change created the settlement: there is no earlier version.");

    public static RuleError InvalidId(string got) =>
        Make(SettlementFields.InvalidValue, "invalid_id", $"id must be a positive whole number; got '{got}'.", ("got", got));

    public const string IfMatchRequired = "if_match_required";
    public const string Stale = "stale";
    public const string DeletedMeanwhile = "deleted_meanwhile";
}

/// <summary>The members a problem adds for its refusals: rule keys and codes with parameters by field.</summary>
public static class RefusalMembers
{
    /// <summary>The member of a problem about the request as a whole (a version conflict): one code with its parameters.</summary>
    public const string ErrorCode = "error_code";

    /// <summary>rules (the keys by field) and error_codes (code and parameters by field), in the order of the messages in errors.</summary>
    public static Dictionary<string, object?> Of(IReadOnlyDictionary<string, List<RuleError>> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(StringComparer.Ordinal)
        {
            ["rules"] = errors.ToDictionary(e => e.Key, e => e.Value.Select(r => r.Rule).Distinct().ToArray(), StringComparer.Ordinal),
            [Http.JsonBody.ErrorCodes] = errors.ToDictionary(e => e.Key, e => e.Value.Select(r => r.ToErrorCode()).ToArray(), StringComparer.Ordinal),
        };
    }

    /// <summary>errors, rules and error_codes of one field's refusals (a 409's body has no errors of its own).</summary>
    public static Dictionary<string, object?> WithMessages(string field, params RuleError[] refusals)
    {
        var members = Of(new Dictionary<string, List<RuleError>>(StringComparer.Ordinal) { [field] = [.. refusals] });
        members["errors"] = new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [.. refusals.Select(r => r.Message)] };
        return members;
    }

    /// <summary>error_code for a problem about the whole request.</summary>
    public static KeyValuePair<string, object?> Whole(string code, params (string Name, object? Value)[] parameters) =>
        new(ErrorCode, new ErrorCode(code, parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal)));
}
