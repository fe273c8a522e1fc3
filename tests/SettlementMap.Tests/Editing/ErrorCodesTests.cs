using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Settlements;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Editing;

/// <summary>
/// Every refusal of the editing API carries, beside its English message in errors, a code with
/// parameters in error_codes (one per message, in the same order), and the page has a template for
/// that code in both dictionaries of i18n.js: so the page can word it in sr-Latn, sr-Cyrl or en.
/// </summary>
public sealed class ErrorCodesTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Square = "[[[21.9,43.3],[21.901,43.3],[21.901,43.301],[21.9,43.301],[21.9,43.3]]]";

    /// <summary>Wrong values for a field of each kind, with the code each must be refused with.</summary>
    public static TheoryData<string, string, string> BadValuesOfEveryEditableField()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var field in SettlementFields.All)
        {
            foreach (var (json, code) in BadValues(field))
            {
                data.Add(field.Name, json, code);
            }
        }
        return data;
    }

    private static IEnumerable<(string Json, string Code)> BadValues(FieldSpec field)
    {
        string J(object? value) => JsonSerializer.Serialize(value);
        if (field.Required)
        {
            yield return ("null", field.Kind == AttributeType.Enum ? "required_choice" : "required");
        }
        switch (field.Kind)
        {
            case AttributeType.Text:
                yield return ("5", "not_text");
                yield return (J(new string('x', SettlementFields.MaxTextLength + 1)), "too_long");
                yield return (J("a\u200Bb"), "invisible_character");
                yield return (J("a\u0001b"), "control_character");
                if (field.Name is "name_latn" or "name_cyrl")
                {
                    yield return (J("..."), "no_letter");
                }
                break;
            case AttributeType.WholeNumber:
                yield return (J("12"), "not_integer");
                yield return ("1.5", "not_integer");
                yield return (J(field.Max!.Value + 10), "range");
                yield return (J(field.Min!.Value - 10), "range");
                if (field.Attribute.Format == NumberFormat.Decade)
                {
                    yield return (J(field.Min!.Value + 5), "not_decade");
                }
                break;
            case AttributeType.Number:
                yield return (J("x"), "not_number");
                yield return (J(field.Max!.Value + 1), "range");
                yield return (J(field.Min!.Value + 0.001m), "too_many_decimals");
                break;
            case AttributeType.Enum:
                yield return (J("no-such-value"), "not_in_list");
                yield return ("3", "not_in_list");
                break;
            case AttributeType.Date:
                yield return (J("2020-13-45"), "not_date");
                yield return (J(DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "future_date");
                break;
            default:
                throw new InvalidOperationException($"No bad values for {field.Kind}: add them here.");
        }
    }

    [Theory]
    [MemberData(nameof(BadValuesOfEveryEditableField))]
    public async Task Every_field_s_refusal_carries_a_code_with_parameters(string field, string json, string code)
    {
        var id = await DemoIdAsync(app, "nis", 1);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);

        using var response = await PatchAsync(client, id, "{\"properties\": {\"" + field + "\": " + json + "}}", before.ETag);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var refusal = AssertCodes(await BodyAsync(response), field, code);
        if (code == "range")
        {
            var spec = SettlementFields.Find(field)!;
            Assert.Equal(spec.Min, refusal.GetProperty("params").GetProperty("min").GetDecimal());
            Assert.Equal(spec.Max, refusal.GetProperty("params").GetProperty("max").GetDecimal());
            Assert.Equal(JsonDocument.Parse(json).RootElement.GetDecimal(), refusal.GetProperty("params").GetProperty("got").GetDecimal());
            Assert.True(refusal.GetProperty("params").TryGetProperty("unit", out _), "range names the unit (null when none)");
        }
    }

    [Fact]
    public async Task The_share_of_150_is_refused_with_its_range_and_unit()
    {
        var id = await DemoIdAsync(app, "nis", 2);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);

        using var response = await PatchAsync(client, id, Properties("substandard_share_pct", 150), before.ETag);

        var problem = await BodyAsync(response);
        Assert.Equal("substandard_share_pct must be from 0 to 100 %; got 150.", problem.GetProperty("errors").GetProperty("substandard_share_pct")[0].GetString());
        Assert.Equal("value.invalid", problem.GetProperty("rules").GetProperty("substandard_share_pct")[0].GetString());
        var refusal = problem.GetProperty("error_codes").GetProperty("substandard_share_pct")[0];
        Assert.Equal("range", refusal.GetProperty("code").GetString());
        Assert.Equal("""{"min":0,"max":100,"unit":"%","got":150}""", refusal.GetProperty("params").GetRawText());
    }

    [Theory]
    [InlineData("{\"attributes\": {}}", "attributes", "unknown_member")]
    [InlineData("{\"crs\": {\"type\": \"name\"}}", "crs", "crs_not_accepted")]
    [InlineData("{\"type\": \"FeatureCollection\"}", "type", "not_feature")]
    [InlineData("{\"properties\": 5}", "properties", "not_object")]
    [InlineData("{\"properties\": {\"area_m2\": 1000}}", "area_m2", "read_only")]
    [InlineData("{\"properties\": {\"colour\": \"red\"}}", "colour", "unknown_field")]
    [InlineData("{\"properties\": {\"municipality_code\": 5}}", "municipality_code", "municipality_code_format")]
    [InlineData("{\"properties\": {\"municipality_code\": \"atlantis\"}}", "municipality_code", "unknown_municipality")]
    [InlineData("{\"properties\": {\"code\": \"x\"}}", "code", "code_format")]
    [InlineData("{\"properties\": {\"estimated_inhabitants\": 10, \"households\": 20}}", "households", "exceeds_field")]
    [InlineData("{\"properties\": {\"name_latn\": \"a\\u0001b\"}}", "name_latn", "control_character")]
    [InlineData("{\"geometry\": 5}", "geometry", "invalid_geometry")]
    [InlineData("{\"geometry\": {\"type\": \"Point\", \"coordinates\": [21.9,43.3]}}", "geometry", "not_polygon")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[21.9,43.3],[21.901,43.3],[21.9,43.3]]]}}", "geometry", "ring_too_short")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[21.9,43.3],[21.901,43.3],[21.901,43.301],[21.9,43.301]]]}}", "geometry", "ring_not_closed")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[21.9,43.3,1],[21.901,43.3,1],[21.901,43.301,1],[21.9,43.3,1]]]}}", "geometry", "position_3d")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[200,43.3],[200.001,43.3],[200.001,43.301],[200,43.3]]]}}", "geometry", "position_out_of_range")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[21.9,43.3],[21.901,43.301],[21.901,43.3],[21.9,43.301],[21.9,43.3]]]}}", "geometry", "self_intersecting")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[12,47],[12.001,47],[12.001,47.001],[12,47.001],[12,47]]]}}", "geometry", "outside_serbia")]
    public async Task Every_other_refusal_of_an_edit_carries_a_code(string body, string field, string code)
    {
        var id = await DemoIdAsync(app, "nis", 3);
        using var client = await ClientAsync(app, Admin);
        var before = await GetAsync(client, id);

        using var response = await PatchAsync(client, id, body, before.ETag);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertCodes(await BodyAsync(response), field, code);
    }

    [Theory]
    [InlineData("{\"properties\": {\"name_latn\": \"Bez obrisa\"}}", "geometry", "geometry_required")]
    [InlineData("{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": " + Square + "}}", "name_latn", "name_required")]
    [InlineData("{\"properties\": {\"name_latn\": \"Negde\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[19.0,44.0],[19.001,44.0],[19.001,44.001],[19.0,44.001],[19.0,44.0]]]}}",
        "geometry", "outside_municipalities")]
    public async Task Every_refusal_of_a_new_settlement_carries_a_code(string body, string field, string code)
    {
        using var client = await ClientAsync(app, Admin);

        using var response = await CreateAsync(client, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertCodes(await BodyAsync(response), field, code);
    }

    [Fact]
    public async Task An_outline_outside_its_municipality_names_the_municipality()
    {
        var id = await DemoIdAsync(app, "nis", 4);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);

        using var response = await PatchAsync(client, id, WithGeometry(Shifted(before.Geometry, 0, 1)), before.ETag);

        var refusal = AssertCodes(await BodyAsync(response), "geometry", "outside_municipality");
        Assert.Equal("Niš", refusal.GetProperty("params").GetProperty("municipality").GetString());
    }

    [Fact]
    public async Task A_taken_code_is_a_409_with_the_code_and_the_taken_value()
    {
        var id = await DemoIdAsync(app, "nis", 5);
        var other = await DemoIdAsync(app, "nis", 6);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);
        var taken = (await GetAsync(client, other)).Text("code");

        using var response = await PatchAsync(client, id, Properties("code", taken), before.ETag);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var refusal = AssertCodes(await BodyAsync(response), "code", "code_taken");
        Assert.Equal(taken, refusal.GetProperty("params").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Version_conflicts_and_a_missing_If_Match_carry_a_code()
    {
        var id = await DemoIdAsync(app, "nis", 7);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);

        using var stale = await PatchAsync(client, id, Properties("water_supply", "none"), "\"1\"");
        using var missing = await PatchAsync(client, id, Properties("water_supply", "none"), null);

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var staleCode = (await BodyAsync(stale)).GetProperty("error_code");
        Assert.Equal("stale", staleCode.GetProperty("code").GetString());
        Assert.Equal(uint.Parse(Version(before.ETag), CultureInfo.InvariantCulture), staleCode.GetProperty("params").GetProperty("current_version").GetUInt32());
        Assert.Equal((HttpStatusCode)428, missing.StatusCode);
        Assert.Equal("if_match_required", (await BodyAsync(missing)).GetProperty("error_code").GetProperty("code").GetString());
        Assert.True(HasTemplate("stale") && HasTemplate("if_match_required") && HasTemplate(Refusals.DeletedMeanwhile));
    }

    [Fact]
    public async Task A_restore_of_no_change_carries_a_code()
    {
        var id = await DemoIdAsync(app, "nis", 8);
        using var client = await ClientAsync(app, Admin);
        var before = await GetAsync(client, id);

        using var response = await RestoreAsync(client, id, 987654321, before.ETag);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertCodes(await BodyAsync(response), "change_id", "unknown_change");
    }

    /// <summary>Every refusal Refusals can build (each public factory, called with sample arguments) has a template in both dictionaries.</summary>
    [Fact]
    public void Every_code_Refusals_builds_has_a_template_in_both_dictionaries()
    {
        var factories = typeof(Refusals).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.ReturnType == typeof(RuleError)).ToList();
        Assert.True(factories.Count >= 40, $"{factories.Count} factories");
        var missing = new List<string>();
        foreach (var factory in factories)
        {
            var arguments = factory.GetParameters().Select(p => Sample(p.ParameterType)).ToArray();
            var refusal = (RuleError)factory.Invoke(null, arguments)!;
            Assert.False(string.IsNullOrWhiteSpace(refusal.Message), factory.Name);
            Assert.DoesNotContain("label", refusal.Params.Keys); // the page's own parameter: the field's label
            if (!HasTemplate(refusal.Code))
            {
                missing.Add($"{factory.Name} → problem.{refusal.Code}");
            }
        }
        Assert.Empty(missing);
    }

    /// <summary>A file's coordinates can be infinite or NaN: their refusal still serialises (JSON has no such numbers).</summary>
    [Fact]
    public void Parameters_of_non_finite_coordinates_are_written_as_text()
    {
        var refusal = Refusals.OutsideSerbiaAt("outline", "EPSG:32634", double.PositiveInfinity, double.NaN);

        var json = JsonSerializer.Serialize(refusal.ToErrorCode());

        Assert.Contains("\"lon\":\"Infinity\"", json, StringComparison.Ordinal);
        Assert.Contains("\"lat\":\"NaN\"", json, StringComparison.Ordinal);
    }

    private static object? Sample(Type type) =>
        type == typeof(string) ? "x" : type == typeof(int) ? 1 : type == typeof(char) ? '\u0001' : type == typeof(double) ? 1.0 : type == typeof(bool) ? true
        : type == typeof(decimal) ? 1m : type == typeof(decimal?) ? 1m : type == typeof(double?) ? 1.0 : type == typeof(object) ? "x"
        : type == typeof(IReadOnlyList<string>) ? new[] { "a", "b" } : type == typeof(DateOnly) ? new DateOnly(1900, 1, 1)
        : type == typeof(DateTimeOffset) ? new DateTimeOffset(2021, 3, 15, 0, 0, 0, TimeSpan.Zero) : throw new InvalidOperationException($"No sample for {type}");

    /// <summary>The refusal of <paramref name="code"/> among the field's; each message has its code, with parameters, and the page a template for it.</summary>
    private static JsonElement AssertCodes(JsonElement problem, string field, string code)
    {
        var messages = problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var m) ? m : default;
        var refusals = problem.TryGetProperty("error_codes", out var codes) && codes.TryGetProperty(field, out var r) ? r : default;
        Assert.True(messages.ValueKind == JsonValueKind.Array, $"errors names {field}: {problem}");
        Assert.True(refusals.ValueKind == JsonValueKind.Array, $"error_codes names {field}: {problem}");
        Assert.Equal(messages.GetArrayLength(), refusals.GetArrayLength());
        foreach (var refusal in refusals.EnumerateArray())
        {
            var name = refusal.GetProperty("code").GetString();
            Assert.False(string.IsNullOrEmpty(name));
            Assert.Equal(JsonValueKind.Object, refusal.GetProperty("params").ValueKind);
            Assert.True(HasTemplate(name!), $"i18n.js words problem.{name} in EN and SR_LATN");
        }
        return refusals.EnumerateArray().FirstOrDefault(r => r.GetProperty("code").GetString() == code) is { ValueKind: JsonValueKind.Object } found
            ? found
            : throw new Xunit.Sdk.XunitException($"{field} is refused with {code}: {problem}");
    }

    private static readonly Lazy<(string English, string Latin)> Dictionaries = new(() =>
    {
        var text = File.ReadAllText(Path.Combine(ProjectPaths.Find().WebRoot, "js", "i18n.js"));
        var latin = text.IndexOf("const SR_LATN", StringComparison.Ordinal);
        return (text[..latin], text[latin..]);
    });

    private static bool HasTemplate(string code) =>
        Dictionaries.Value.English.Contains($"'problem.{code}':", StringComparison.Ordinal)
        && Dictionaries.Value.Latin.Contains($"'problem.{code}':", StringComparison.Ordinal);
}
