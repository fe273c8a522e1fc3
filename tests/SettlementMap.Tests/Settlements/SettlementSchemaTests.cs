using System.Text.RegularExpressions;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Text;

namespace SettlementMap.Tests.Settlements;

/// <summary>The declaration itself: complete, consistent, and written in the right scripts.</summary>
public sealed partial class SettlementSchemaTests
{
    public static TheoryData<string> AttributeNames() => [.. SettlementSchema.Attributes.Select(a => a.Name)];

    [Fact]
    public void Names_are_unique_snake_case_and_found_by_name()
    {
        Assert.Equal(SettlementSchema.Attributes.Count, SettlementSchema.Attributes.Select(a => a.Name).Distinct().Count());
        Assert.All(SettlementSchema.Attributes, a =>
        {
            Assert.Matches(SnakeCase(), a.Name);
            Assert.Same(a, SettlementSchema.Find(a.Name));
        });
        Assert.Null(SettlementSchema.Find("Water_Supply"));
    }

    [Theory]
    [MemberData(nameof(AttributeNames))]
    public void Each_attribute_is_consistent(string name)
    {
        var a = SettlementSchema.Find(name)!;
        Assert.Equal(a.Type == AttributeType.Enum, a.List is not null);
        Assert.Contains(a.Group, SettlementSchema.Groups);
        if (a.Min is { } min && a.Max is { } max)
        {
            Assert.True(min < max, $"{name}: min {min} is not below max {max}");
        }
        Assert.True(a.Min is null || a.Type is AttributeType.WholeNumber or AttributeType.Number, $"{name} has bounds but is not a number");
        if (a.In(Outputs.Theme))
        {
            Assert.True(a.In(Outputs.Tile), $"{name} is a theme, so the tiles must carry it");
        }
        if (a.Editable)
        {
            // What an editor sets must be visible where they check it and in what researchers take away.
            Assert.True(a.In(Outputs.Details) && a.In(Outputs.Export) && a.In(Outputs.Queryables), $"{name} is editable but not published");
        }
        if (a.List is { } list)
        {
            Assert.Contains(list, SettlementSchema.ClosedLists);
        }
    }

    [Theory]
    [MemberData(nameof(AttributeNames))]
    public void Labels_and_descriptions_are_written_in_all_three_languages(string name)
    {
        var a = SettlementSchema.Find(name)!;
        foreach (var text in new[] { a.Label, a.Description })
        {
            AssertThreeLanguages(text);
        }
        Assert.EndsWith(".", a.Description.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_list_value_and_group_is_labelled_in_three_languages()
    {
        Assert.All(SettlementSchema.ClosedLists.SelectMany(l => l.Values), v => AssertThreeLanguages(v.Label));
        Assert.All(SettlementSchema.Groups, g => AssertThreeLanguages(g.Label));
    }

    [Fact]
    public void A_list_must_label_every_member_of_its_enum_in_order()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => ClosedList.Of<Web.Data.YesNo>("yes_no",
            ("unknown", new Label("nepoznato", "непознато", "unknown")), ("yes", new Label("da", "да", "yes"))));
        Assert.Contains("YesNo has unknown, yes, no", missing.Message, StringComparison.Ordinal);
    }

    private static void AssertThreeLanguages(Label label)
    {
        Assert.False(string.IsNullOrWhiteSpace(label.Latn));
        Assert.False(string.IsNullOrWhiteSpace(label.En));
        Assert.DoesNotMatch(CyrillicLetter(), label.Latn);
        Assert.DoesNotMatch(CyrillicLetter(), label.En);
        // Cyrillic is written out: no word mixes the scripts (a transliteration gone wrong, "WГС");
        // Latin words of their own (WGS 84, ROMACTED, units) stay Latin.
        Assert.Matches(CyrillicLetter(), label.Cyrl);
        Assert.DoesNotMatch(MixedWord(), label.Cyrl);
        Assert.NotEqual(label.Latn, label.Cyrl);
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex(@"\p{IsCyrillic}")]
    private static partial Regex CyrillicLetter();

    [GeneratedRegex(@"(\p{IsCyrillic}[A-Za-z])|([A-Za-z]\p{IsCyrillic})")]
    private static partial Regex MixedWord();
}
