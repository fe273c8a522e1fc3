using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SettlementMap.Web.Data;
using SettlementMap.Web.Geo;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Features.Editing;

/// <summary>
/// An edit read from a request body (a GeoJSON Feature or part of one) and checked against the
/// rules, before anything touches the database: values are staged and applied only when the
/// whole edit is valid.
/// </summary>
public sealed partial class SettlementEdit
{
    private static readonly HashSet<string> FeatureMembers = new(StringComparer.Ordinal) { "type", "id", "properties", "geometry", "bbox", ValidFromMember };

    /// <summary>The body's member beside properties that dates the change: the day or instant it was observed.</summary>
    public const string ValidFromMember = "valid_from";

    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    /// <summary>The broken rules by field.</summary>
    public Dictionary<string, List<RuleError>> Errors { get; } = new(StringComparer.Ordinal);

    public MultiPolygon? Geometry { get; private set; }

    /// <summary>The municipality code the edit names, if it names one.</summary>
    public string? MunicipalityCode { get; private set; }

    public string? Code { get; private set; }

    /// <summary>valid_from as written (a date or a date-time, checked by ChangeTime.Read); null: the change is dated now.</summary>
    public string? ValidFrom { get; private set; }

    public bool IsValid => Errors.Count == 0;

    public bool Touches(string field) => _values.ContainsKey(field);

    public void AddError(string field, RuleError error)
    {
        if (!Errors.TryGetValue(field, out var list))
        {
            Errors[field] = list = [];
        }
        list.Add(error);
    }

    /// <summary>
    /// 400 problem+json: the messages by field in errors (as every validation problem of the API),
    /// the rule keys by field in rules (the keys the importer reports for the same values) and the
    /// codes with their parameters by field in error_codes (what the page words in its language).
    /// </summary>
    public ValidationProblem Problem(string title) =>
        TypedResults.ValidationProblem(
            Errors.ToDictionary(e => e.Key, e => e.Value.Select(r => r.Message).ToArray()),
            title: title,
            extensions: RefusalMembers.Of(Errors));

    /// <summary>Reads the members of a Feature-shaped body: properties and geometry, each optional unless required.</summary>
    public static SettlementEdit Read(JsonElement root, bool geometryRequired)
    {
        var edit = new SettlementEdit();
        foreach (var member in root.EnumerateObject())
        {
            if (member.Name == "crs")
            {
                edit.AddError("crs", Refusals.CrsNotAccepted());
            }
            else if (!FeatureMembers.Contains(member.Name))
            {
                edit.AddError(member.Name, Refusals.UnknownMember(member.Name));
            }
        }
        if (root.TryGetProperty("type", out var type) && (type.ValueKind != JsonValueKind.String || JsonStrings.Get(type) != "Feature"))
        {
            edit.AddError("type", Refusals.NotFeature());
        }
        if (root.TryGetProperty(ValidFromMember, out var validFrom) && validFrom.ValueKind != JsonValueKind.Null)
        {
            if (validFrom.ValueKind == JsonValueKind.String)
            {
                edit.ValidFrom = JsonStrings.Get(validFrom);
            }
            else
            {
                edit.AddError(ValidFromMember, Refusals.NotChangeInstant(ValidFromMember, validFrom.GetRawText() is { Length: <= 40 } raw ? raw : validFrom.ValueKind.ToString()));
            }
        }
        if (root.TryGetProperty("properties", out var properties) && properties.ValueKind != JsonValueKind.Null)
        {
            if (properties.ValueKind != JsonValueKind.Object)
            {
                edit.AddError("properties", Refusals.NotObject("properties"));
            }
            else
            {
                edit.ReadProperties(properties);
            }
        }
        if (root.TryGetProperty("geometry", out var geometry) && geometry.ValueKind != JsonValueKind.Null)
        {
            if (GeometryInput.TryRead(geometry, out var outline, out var error))
            {
                edit.Geometry = outline;
            }
            else
            {
                edit.AddError("geometry", error!);
            }
        }
        else if (geometryRequired)
        {
            edit.AddError("geometry", Refusals.GeometryRequired());
        }
        if (edit.Geometry is not null && !SettlementRules.InSerbia(edit.Geometry.EnvelopeInternal))
        {
            edit.AddError("geometry", Refusals.OutsideSerbia());
        }
        edit.CompleteNames();
        return edit;
    }

    private void ReadProperties(JsonElement properties)
    {
        foreach (var property in properties.EnumerateObject())
        {
            var name = property.Name;
            // The text as written, lone surrogates kept (for the rules to name), read once.
            var text = property.Value.ValueKind == JsonValueKind.String ? JsonStrings.Get(property.Value) : null;
            if (name == "municipality_code")
            {
                if (text is { Length: > 0 and <= 64 } && SettlementRules.CleanText(name, text, 64, out _) is null)
                {
                    MunicipalityCode = text;
                }
                else
                {
                    AddError(name, Refusals.MunicipalityCodeFormat());
                }
            }
            else if (name == "code")
            {
                if (text is not null && CodePattern().IsMatch(text))
                {
                    Code = text;
                }
                else
                {
                    AddError(name, Refusals.CodeFormat());
                }
            }
            else if (SettlementFields.Find(name) is { } field)
            {
                if (SettlementFields.TryRead(field, property.Value, out var value, out var error))
                {
                    _values[name] = value;
                }
                else
                {
                    AddError(name, error!);
                }
            }
            else if (SettlementFields.ReadOnly.Contains(name))
            {
                AddError(name, Refusals.ReadOnly(name));
            }
            else
            {
                AddError(name, Refusals.UnknownField(name));
            }
        }
    }

    /// <summary>
    /// A name given in one script only is transliterated into the other (SerbianScript), for a new
    /// settlement and for an update alike, so the two names never say different things; a name
    /// given in both scripts is kept as given.
    /// </summary>
    private void CompleteNames()
    {
        var latin = _values.GetValueOrDefault("name_latn") as string;
        var cyrillic = _values.GetValueOrDefault("name_cyrl") as string;
        if (latin is null && cyrillic is not null && !Errors.ContainsKey("name_latn"))
        {
            _values["name_latn"] = SerbianScript.ToLatin(cyrillic);
        }
        if (cyrillic is null && latin is not null && !Errors.ContainsKey("name_cyrl"))
        {
            _values["name_cyrl"] = SerbianScript.ToCyrillic(latin);
        }
    }

    /// <summary>A new settlement needs a name in one script at least (the other is filled in by <see cref="Read"/>).</summary>
    public void RequireNames()
    {
        foreach (var required in RequiredNames)
        {
            if (!Touches(required) && !Errors.ContainsKey(required))
            {
                AddError(required, Refusals.NameRequired());
            }
        }
    }

    /// <summary>Rules between fields, on the settlement as it would be saved (after <see cref="ApplyTo"/>).</summary>
    public void CheckCrossFields(Settlement settlement)
    {
        foreach (var (field, error) in SettlementFields.CrossFieldErrors(settlement))
        {
            AddError(field, error);
        }
    }

    /// <summary>Writes the staged values into the entity (only call when <see cref="IsValid"/>).</summary>
    public void ApplyTo(Settlement settlement)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        foreach (var (name, value) in _values)
        {
            SettlementFields.Find(name)!.Set(settlement, value);
        }
        if (Geometry is not null)
        {
            settlement.Geom = Geometry;
        }
        if (Code is not null)
        {
            settlement.Code = Code;
        }
    }

    /// <summary>
    /// Checks that need the database: the code's uniqueness (<see cref="CodeTaken"/>), the outline
    /// inside its municipality, and not overlapping another settlement (the importer's rule).
    /// </summary>
    public async Task CheckPlaceAsync(SettlementMapDbContext db, Settlement settlement, Municipality municipality, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settlement);
        ArgumentNullException.ThrowIfNull(municipality);
        if (Code is not null && (settlement.Id == 0 || Code != settlement.Code)
            && await db.Settlements.AnyAsync(s => s.Code == Code && s.Id != settlement.Id, cancellationToken))
        {
            CodeTaken = SettlementRules.CodeTakenBy(Code);
        }
        if (Geometry is not null && await OverlappedAsync(db, Geometry, settlement.Id, cancellationToken) is { } other)
        {
            AddError("geometry", SettlementRules.Overlap($"the settlement {other}", other));
        }
        var outline = Geometry ?? settlement.Geom;
        if (outline is null || (Geometry is null && municipality.Id == settlement.MunicipalityId))
        {
            return;
        }
        // Municipality boundaries are approximate: an outline may cross its boundary by up to ~50 m.
        var inside = await db.Municipalities
            .Where(m => m.Id == municipality.Id)
            .Select(m => m.Geom.Buffer(MunicipalityTolerance).Covers(outline))
            .SingleAsync(cancellationToken);
        if (!inside)
        {
            AddError("geometry", SettlementRules.OutsideMunicipality(municipality.NameLatn));
        }
    }

    /// <summary>Set by <see cref="CheckPlaceAsync"/> when another settlement has the code: a 409, not a 400.</summary>
    public RuleError? CodeTaken { get; private set; }

    /// <summary>The code of the first other settlement the outline overlaps (<see cref="SettlementRules.OverlapCondition"/>), or null.</summary>
    private static async Task<string?> OverlappedAsync(SettlementMapDbContext db, MultiPolygon outline, long ownId, CancellationToken cancellationToken)
    {
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }
        try
        {
            await using var command = new Npgsql.NpgsqlCommand(
                $"SELECT s.code FROM (SELECT ST_GeomFromWKB(@wkb, 4326) AS geom) i, settlements s WHERE s.id <> @id AND {SettlementRules.OverlapCondition("i.geom", "s.geom")} ORDER BY s.id LIMIT 1",
                connection);
            command.Parameters.Add(new Npgsql.NpgsqlParameter<long>("id", ownId));
            command.Parameters.Add(new Npgsql.NpgsqlParameter<byte[]>("wkb", new NetTopologySuite.IO.WKBWriter().Write(outline)));
            SettlementRules.AddOverlapParameters(command.Parameters);
            return await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>About 50 m at Serbia's latitude, in degrees.</summary>
    public const double MunicipalityTolerance = 0.0005;

    private static readonly string[] RequiredNames = ["name_latn", "name_cyrl"];

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{2,63}$")]
    private static partial Regex CodePattern();
}
