using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// The page draws its details panel and edit form from the attribute schema of /api/config: in each
/// language, every attribute whose outputs include "details" is in the panel, and every editable one
/// in the form, under its group, with its label and description in that language (and nothing else).
/// </summary>
public sealed class SchemaLabelsTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    // Compares the panel (or the form) with /api/config in one language; returns what differs and how many attributes were checked.
    private const string CheckDetails = """
        async (lang) => {
          const config = await (await fetch('api/config')).json();
          const problems = [];
          const wanted = config.attributes.filter((a) => a.outputs.includes('details'));
          for (const a of wanted) {
            const dt = document.querySelector(`#details-body dt[data-label-for="${a.name}"]`);
            if (!dt) { problems.push('no label of ' + a.name); continue; }
            if (dt.textContent !== a.label[lang]) problems.push(`${a.name}: "${dt.textContent}" instead of "${a.label[lang]}"`);
            if (dt.title !== a.description[lang]) problems.push(`${a.name}: title "${dt.title}" instead of "${a.description[lang]}"`);
            if (!document.querySelector(`#details-body dd[data-field="${a.name}"]`)) problems.push('no value of ' + a.name);
          }
          const shown = [...document.querySelectorAll('#details-body dd[data-field]')].map((d) => d.dataset.field);
          if (JSON.stringify(shown) !== JSON.stringify(config.groups.flatMap((g) => wanted.filter((a) => a.group === g.name).map((a) => a.name)))) {
            problems.push('shown in this order: ' + shown.join(','));
          }
          const groups = [...document.querySelectorAll('#details-body section[data-group]')].map((s) => s.dataset.group + '=' + s.querySelector('h3').textContent);
          const expected = config.groups.filter((g) => wanted.some((a) => a.group === g.name)).map((g) => g.name + '=' + g.label[lang]);
          if (JSON.stringify(groups) !== JSON.stringify(expected)) problems.push('groups ' + groups.join(', ') + ' instead of ' + expected.join(', '));
          return { problems, checked: wanted.length };
        }
        """;

    private const string CheckForm = """
        async (lang) => {
          const config = await (await fetch('api/config')).json();
          const problems = [];
          const wanted = config.attributes.filter((a) => a.editable);
          for (const a of wanted) {
            const field = document.querySelector(`#edit-form label[data-label-for="${a.name}"]`);
            const control = document.getElementById('edit-' + a.name);
            if (!field || !control) { problems.push('no field for ' + a.name); continue; }
            const caption = field.querySelector('.caption');
            if (!caption.firstChild.textContent.startsWith(a.label[lang])) problems.push(`${a.name}: "${caption.textContent}" does not start with "${a.label[lang]}"`);
            if (caption.title !== a.description[lang]) problems.push(`${a.name}: title "${caption.title}" instead of "${a.description[lang]}"`);
            if (control.required !== Boolean(a.required)) problems.push(a.name + ': required is ' + control.required);
            if (Boolean(field.querySelector('abbr.required')) !== Boolean(a.required)) problems.push(a.name + ': the required mark is wrong');
            if (a.type === 'enum') {
              const options = [...control.options].map((o) => o.value + '=' + o.textContent);
              const values = config.lists[a.list].map((v) => v.value + '=' + v.label[lang]);
              if (JSON.stringify(options) !== JSON.stringify(values)) problems.push(a.name + ': options ' + options.join(', '));
            } else if (a.min !== null && control.min !== String(a.min)) problems.push(a.name + ': min ' + control.min);
          }
          const fields = [...document.querySelectorAll('#edit-form [data-label-for]')].map((f) => f.dataset.labelFor);
          if (JSON.stringify(fields) !== JSON.stringify(config.groups.flatMap((g) => wanted.filter((a) => a.group === g.name).map((a) => a.name)))) {
            problems.push('fields in this order: ' + fields.join(','));
          }
          const legends = [...document.querySelectorAll('#edit-form fieldset[data-group]')].map((f) => f.dataset.group + '=' + f.querySelector('legend').textContent);
          const expected = config.groups.filter((g) => wanted.some((a) => a.group === g.name)).map((g) => g.name + '=' + g.label[lang]);
          if (JSON.stringify(legends) !== JSON.stringify(expected)) problems.push('groups ' + legends.join(', ') + ' instead of ' + expected.join(', '));
          return { problems, checked: wanted.length };
        }
        """;

    [Fact]
    public async Task Every_details_and_editable_attribute_of_the_config_appears_with_its_label_in_each_language()
    {
        await using var db = browser.App.CreateContext();
        var id = await db.Settlements.OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        await using var map = await browser.OpenAsync($"#selected={id}");
        await map.Page.ClickAsync("#sign-in");
        await map.Page.FillAsync("#sign-in-user", DemoAccounts.AdministratorName);
        await map.Page.FillAsync("#sign-in-password", DemoAccounts.AdministratorPassword);
        await map.Page.ClickAsync("#sign-in-submit");
        await map.Page.Locator("#sign-out").WaitForAsync();

        foreach (var lang in new[] { "sr-Latn", "sr-Cyrl", "en" })
        {
            await map.Page.SelectOptionAsync("#language", lang);
            await map.Page.Locator("#edit-attributes").WaitForAsync();
            var details = await map.Page.EvaluateAsync<JsonElement>(CheckDetails, lang);
            Assert.True(details.GetProperty("checked").GetInt32() >= 30, lang + ": the config lists the attributes of the details");
            Assert.Equal("[]", details.GetProperty("problems").GetRawText());

            await map.Page.ClickAsync("#edit-attributes");
            await map.Page.Locator("#edit-form").WaitForAsync();
            var form = await map.Page.EvaluateAsync<JsonElement>(CheckForm, lang);
            Assert.True(form.GetProperty("checked").GetInt32() >= 30, lang + ": the config lists the editable attributes");
            Assert.Equal("[]", form.GetProperty("problems").GetRawText());
            await map.Page.ClickAsync("#edit-cancel");
        }
        Assert.Empty(map.ConsoleErrors);
    }
}
