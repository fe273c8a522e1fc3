using System.Globalization;
using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Web.Features.Measures;

/// <summary>
/// The refusals of plans and measures that settlements do not have, built as Editing's <see cref="Refusals"/> are: a
/// rule key, a code with its parameters (the page words it in sr-Latn, sr-Cyrl or en, i18n.js "problem.&lt;code&gt;")
/// and the English message for API clients. The refusals settlements share (text, numbers, dates, lists) are Refusals'.
/// </summary>
public static class MeasureRefusals
{
    public const string Rule = "measure.invalid";

    private static RuleError Make(string code, string message, params (string Name, object? Value)[] parameters) =>
        new(Rule, code, parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal), message);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static RuleError NotHttpLink(string field, int max) =>
        Make("not_http_link", $"{field} must be an http:// or https:// link of at most {max} characters.", ("max", max));

    public static RuleError UnknownAttribute(string field, string got) =>
        Make("unknown_attribute", $"{field} must name a settlement attribute of the schema (GET /api/config); got '{got}'.", ("got", got));

    public static RuleError NotTargetable(string field, string attribute) =>
        Make("attribute_not_targetable",
            $"{field}: {attribute} is not a condition whose change over time is judged (GET /api/measures/lists names those a measure may aim at).", ("attribute", attribute));

    public static RuleError UnknownSettlement(string field, string code) =>
        Make("unknown_settlement", $"{field}: no settlement has the code '{code}'.", ("code", code));

    public static RuleError SettlementElsewhere(string field, string code, string municipality) =>
        Make("settlement_outside_municipality", $"{field}: settlement {code} is not in {municipality}, the plan's municipality.",
            ("code", code), ("municipality", municipality));

    public static RuleError RepeatedSettlement(string field, string code) =>
        Make("repeated_settlement", $"{field}: settlement {code} is named twice.", ("code", code));

    public static RuleError UnknownProgramme(string field, string code) =>
        Make("unknown_programme", $"{field}: no programme has the code '{code}'.", ("code", code));

    public static RuleError UnknownPlan(string field, string got) =>
        Make("unknown_plan", $"{field}: no action plan has the id {got}.", ("got", got));

    public static RuleError RequiredWith(string field, string other, string value) =>
        Make("required_with", $"{field} is required when {other} is {value}.", ("other", other), ("value", value));

    public static RuleError OnlyWith(string field, string other, string value) =>
        Make("only_with", $"{field} is only given when {other} is {value}.", ("other", other), ("value", value));

    public static RuleError NotArray(string field) => Make("not_array", $"{field} must be a list.");

    public static RuleError TooMany(string field, int max) =>
        Make("too_many", string.Create(CultureInfo.InvariantCulture, $"{field} has more than {max} entries."), ("max", max));

    public static RuleError DayOutOfRange(string field, DateOnly earliest, DateOnly latest) =>
        Make("day_out_of_range", $"{field} must be from {Day(earliest)} to {Day(latest)}.", ("earliest", Day(earliest)), ("latest", Day(latest)));

    public static RuleError BeforeField(string field, string other) =>
        Make("before_field", $"{field} cannot be before {other}.", ("other", other));

    public static RuleError NotForStatus(string field, string status) =>
        Make("not_for_status", $"{field} is not given for a measure whose status is {status}.", ("status", status));

    public static RuleError ChangedPlan(string field) =>
        Make("plan_fixed", $"{field} cannot change: a measure stays in its plan (delete it and add it to the other plan).");
}
