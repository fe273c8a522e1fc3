using System.Text.Json;
using System.Text.RegularExpressions;
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
    private static readonly HashSet<string> FeatureMembers = new(StringComparer.Ordinal) { "type", "id", "properties", "geometry", "bbox" };

    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);

    public MultiPolygon? Geometry { get; private set; }

    /// <summary>The municipality code the edit names, if it names one.</summary>
    public string? MunicipalityCode { get; private set; }

    public string? Code { get; private set; }

    public bool IsValid => Errors.Count == 0;

    public bool Touches(string field) => _values.ContainsKey(field);

    public void AddError(string field, string message)
    {
        if (!Errors.TryGetValue(field, out var list))
        {
            Errors[field] = list = [];
        }
        list.Add(message);
    }

    public IDictionary<string, string[]> ErrorDictionary() => Errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>Reads the members of a Feature-shaped body: properties and geometry, each optional unless required.</summary>
    public static SettlementEdit Read(JsonElement root, bool geometryRequired)
    {
        var edit = new SettlementEdit();
        foreach (var member in root.EnumerateObject())
        {
            if (member.Name == "crs")
            {
                edit.AddError("crs", "A crs member is not accepted: GeoJSON (RFC 7946) coordinates are always WGS 84 longitude, latitude.");
            }
            else if (!FeatureMembers.Contains(member.Name))
            {
                edit.AddError(member.Name, $"Unknown member '{member.Name}': send a GeoJSON Feature with properties and/or geometry.");
            }
        }
        if (root.TryGetProperty("type", out var type) && (type.ValueKind != JsonValueKind.String || type.GetString() != "Feature"))
        {
            edit.AddError("type", "type must be \"Feature\" when given.");
        }
        if (root.TryGetProperty("properties", out var properties) && properties.ValueKind != JsonValueKind.Null)
        {
            if (properties.ValueKind != JsonValueKind.Object)
            {
                edit.AddError("properties", "properties must be an object.");
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
            edit.AddError("geometry", "A new settlement needs its outline (a GeoJSON Polygon or MultiPolygon).");
        }
        return edit;
    }

    private void ReadProperties(JsonElement properties)
    {
        foreach (var property in properties.EnumerateObject())
        {
            var name = property.Name;
            if (name == "municipality_code")
            {
                if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Length is > 0 and <= 64)
                {
                    MunicipalityCode = property.Value.GetString();
                }
                else
                {
                    AddError(name, "municipality_code must be a municipality code such as 'nis'.");
                }
            }
            else if (name == "code")
            {
                if (property.Value.ValueKind == JsonValueKind.String && CodePattern().IsMatch(property.Value.GetString()!))
                {
                    Code = property.Value.GetString();
                }
                else
                {
                    AddError(name, "code must be 3 to 64 characters: capital letters, digits and '-', such as NIS-014.");
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
                AddError(name, $"{name} is kept by the server and cannot be set.");
            }
            else
            {
                AddError(name, $"Unknown field '{name}'.");
            }
        }
    }

    /// <summary>For a new settlement: a missing name in one script is transliterated from the other.</summary>
    public void CompleteNames()
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

    /// <summary>A new settlement needs a name in one script at least (call after <see cref="CompleteNames"/>).</summary>
    public void RequireNames()
    {
        foreach (var required in RequiredNames)
        {
            if (!Touches(required) && !Errors.ContainsKey(required))
            {
                AddError(required, "A new settlement needs a name (Latin or Cyrillic; the other script is filled in).");
            }
        }
    }

    /// <summary>Rules between fields, on the settlement as it would be saved (after <see cref="ApplyTo"/>).</summary>
    public void CheckCrossFields(Settlement settlement)
    {
        foreach (var (field, message) in SettlementFields.CrossFieldErrors(settlement))
        {
            AddError(field, message);
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

    /// <summary>Checks that need the database: the municipality, the code's uniqueness, the outline inside its municipality.</summary>
    public async Task CheckPlaceAsync(SettlementMapDbContext db, Settlement settlement, Municipality municipality, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settlement);
        ArgumentNullException.ThrowIfNull(municipality);
        if (Code is not null && Code != settlement.Code && await db.Settlements.AnyAsync(s => s.Code == Code, cancellationToken))
        {
            AddError("code", $"Another settlement already has the code {Code}.");
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
            AddError("geometry", $"The outline is not inside the municipality of {municipality.NameLatn} (its boundary is approximate: a margin of about 50 m is allowed).");
        }
    }

    /// <summary>About 50 m at Serbia's latitude, in degrees.</summary>
    public const double MunicipalityTolerance = 0.0005;

    private static readonly string[] RequiredNames = ["name_latn", "name_cyrl"];

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{2,63}$")]
    private static partial Regex CodePattern();
}
