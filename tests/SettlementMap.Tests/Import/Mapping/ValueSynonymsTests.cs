using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Import.Mapping;
using SettlementMap.Web.Text;

namespace SettlementMap.Tests.Import.Mapping;

public sealed class ValueSynonymsTests
{
    [Theory]
    [InlineData("water_supply", "network", "vodovod", "водовод", "Water network", "VODOVOD", "javni vodovod", "network", "Network")]
    [InlineData("water_supply", "wells", "bunar", "bunari", "бунар", "wells", "Well")]
    [InlineData("water_supply", "none", "nema", "НЕМА", "bez vode", "none", "no")]
    [InlineData("water_supply", "unknown", "nepoznato", "непознато", "unknown", "?", "n/a")]
    [InlineData("sewerage", "septic", "septička jama", "septicka jama", "Септичка јама", "septic tank", "Septička-jama")]
    [InlineData("electricity", "partial", "delimično", "delimicno", "делимично", "partial", "Partly connected")]
    [InlineData("electricity", "illegal", "nelegalno", "нелегално", "divlji priključak", "illegal")]
    [InlineData("legal_status", "in_process", "u postupku", "У ПОСТУПКУ", "in_process", "in process", "In progress")]
    [InlineData("legal_status", "not_legalised", "nelegalizovano", "nije legalizovano", "not legalized", "NOT_LEGALISED")]
    [InlineData("building_material", "brick_block", "cigla", "цигла и блок", "Brick or block", "brick_block")]
    [InlineData("heating", "wood_coal", "drva", "дрва или угаљ", "wood or coal", "čvrsto gorivo")]
    [InlineData("heating", "electricity_gas", "struja ili gas", "струја", "Electricity or gas")]
    [InlineData("location_class", "outside_town", "izdvojeno", "ван насеља", "outside the town", "segregated")]
    [InlineData("settlement_type", "suburban", "prigradsko", "приградско", "suburban", "peri-urban")]
    [InlineData("yes_no", "yes", "da", "да", "DA", "yes", "true", "1", "x", "X")]
    [InlineData("yes_no", "no", "ne", "не", "No", "false", "0", "nema")]
    [InlineData("planning_document", "in_preparation", "u izradi", "у изради", "in preparation")]
    public void What_files_write_resolves_to_the_stored_value(string list, string expected, params string[] written)
    {
        foreach (var text in written)
        {
            Assert.True(ValueSynonyms.TryResolve(list, text, out var value), $"'{text}' should be a value of {list}.");
            Assert.Equal(expected, value);
        }
    }

    [Theory]
    [InlineData("water_supply", "veliko")]
    [InlineData("water_supply", "")]
    [InlineData("yes_no", "maybe")]
    [InlineData("electricity", "da")] // legal or illegal? not guessed
    [InlineData("no_such_list", "da")]
    public void Unknown_words_do_not_resolve(string list, string text) =>
        Assert.False(ValueSynonyms.TryResolve(list, text, out _));

    [Fact]
    public void Every_value_of_every_closed_list_has_Serbian_words_that_resolve_in_both_scripts_and_its_own_text()
    {
        Assert.Equal(SettlementFields.ClosedLists.Keys.Order(), ValueSynonyms.ListNames.Order());
        foreach (var (list, values) in SettlementFields.ClosedLists)
        {
            foreach (var value in values)
            {
                var serbian = ValueSynonyms.Serbian(list, value);
                Assert.True(serbian.Count > 0, $"{list}.{value} has no Serbian synonym.");
                Assert.True(ValueSynonyms.English(list, value).Count > 0, $"{list}.{value} has no English synonym.");
                foreach (var word in serbian)
                {
                    AssertResolves(list, value, word);
                    AssertResolves(list, value, SerbianScript.ToCyrillic(word));
                    AssertResolves(list, value, word.ToUpperInvariant());
                }
                foreach (var word in ValueSynonyms.English(list, value).Append(value))
                {
                    AssertResolves(list, value, word);
                }
            }
        }
    }

    [Fact]
    public void The_first_Serbian_word_of_a_value_has_its_Cyrillic_spelling_with_Cyrillic_letters()
    {
        // Guards the Cyrillic half of the test above: a table written in Cyrillic-looking Latin would not prove it.
        var word = ValueSynonyms.Serbian("water_supply", "network")[0];
        Assert.Equal("vodovod", word);
        Assert.Equal("водовод", SerbianScript.ToCyrillic(word));
    }

    [Fact]
    public void Accepted_values_are_listed_with_a_Serbian_word_each()
    {
        Assert.Equal("network (vodovod), wells (bunari), none (bez vode), unknown (nepoznato)", ValueSynonyms.Accepted("water_supply"));
    }

    private static void AssertResolves(string list, string expected, string text)
    {
        Assert.True(ValueSynonyms.TryResolve(list, text, out var value), $"'{text}' should resolve in {list}.");
        Assert.True(expected == value, $"'{text}' should be {list}.{expected}, got {value}.");
    }
}
