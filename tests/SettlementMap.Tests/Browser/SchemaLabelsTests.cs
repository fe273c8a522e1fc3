using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data.Demo;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// The page draws its details panel and edit form from the attribute schema of /api/config: in each
/// language, every attribute whose outputs include "details" is in the panel, and every editable one
/// in the form, under its group, with its label and description in that language (and nothing else).
/// </summary>
public sealed class SchemaLabelsTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    /// <summary>About something else than who sees what: every attribute public, nothing generalised.</summary>
    public Task InitializeAsync() => EverythingPublic.ApplyAsync(browser.App);

    public Task DisposeAsync() => Task.CompletedTask;

    // Compares the details panel (form false) or the edit form (form true) with /api/config in one
    // language: each attribute's label, description and value or control, their order and their groups.
    // A name in both scripts with one label (municipality_name_latn/_cyrl) is one row of the panel,
    // named by both and titled by the first one's description.
    // Returns what differs and how many attributes were checked.
    private const string Check = """
        async ({ lang, form }) => {
          const config = await (await fetch('api/config')).json();
          const root = form ? '#edit-form' : '#details-body';
          const problems = [];
          // The panel leaves out what the feature does not have (a hidden attribute, "fewer than" of one not generalised).
          const selected = window.settlementMap.view.selected;
          const p = form || selected === null ? {} : (await (await fetch('api/settlements/' + selected)).json()).properties;
          const has = (a) => a.name in p && !(a.name === 'estimated_inhabitants_below' && p[a.name] === null);
          const wanted = config.attributes.filter((a) => (form ? a.editable : a.outputs.includes('details') && has(a)));
          for (const a of wanted) {
            const label = document.querySelector(`${root} [data-label-for~="${a.name}"]`);
            const caption = form ? label?.querySelector('.caption') : label;
            const value = form ? document.getElementById('edit-' + a.name) : document.querySelector(`${root} dd[data-field~="${a.name}"]`);
            if (!caption || !value) { problems.push('no label or value of ' + a.name); continue; }
            if (caption.firstChild.textContent !== a.label[lang] && !(form && caption.firstChild.textContent.startsWith(a.label[lang] + ' ('))) {
              problems.push(`${a.name}: "${caption.firstChild.textContent}" instead of "${a.label[lang]}"`);
            }
            if (caption.title !== a.description[lang] && !label.dataset.labelFor.endsWith(' ' + a.name)) problems.push(`${a.name}: title "${caption.title}" instead of "${a.description[lang]}"`);
            if (!form) continue;
            if (value.required !== Boolean(a.required)) problems.push(a.name + ': required is ' + value.required);
            if (Boolean(label.querySelector('abbr.required')) !== Boolean(a.required)) problems.push(a.name + ': the required mark is wrong');
            if (a.type === 'enum') {
              const options = [...value.options].map((o) => o.value + '=' + o.textContent);
              const values = config.lists[a.list].map((v) => v.value + '=' + v.label[lang]);
              if (JSON.stringify(options) !== JSON.stringify(values)) problems.push(a.name + ': options ' + options.join(', '));
            } else if (a.min !== null && value.min !== String(a.min)) problems.push(a.name + ': min ' + value.min);
          }
          const order = [...document.querySelectorAll(`${root} [data-label-for]`)].flatMap((n) => n.dataset.labelFor.split(' '));
          const expectedOrder = config.groups.flatMap((g) => wanted.filter((a) => a.group === g.name).map((a) => a.name));
          if (JSON.stringify(order) !== JSON.stringify(expectedOrder)) problems.push('in this order: ' + order.join(','));
          const groups = [...document.querySelectorAll(`${root} [data-group]`)].map((g) => g.dataset.group + '=' + g.querySelector(form ? 'legend' : 'h3').textContent);
          const expectedGroups = config.groups.filter((g) => wanted.some((a) => a.group === g.name)).map((g) => g.name + '=' + g.label[lang]);
          if (JSON.stringify(groups) !== JSON.stringify(expectedGroups)) problems.push('groups ' + groups.join(', ') + ' instead of ' + expectedGroups.join(', '));
          return { problems, checked: wanted.length };
        }
        """;

    private const string CheckThemes = """
        async (lang) => {
          const config = await (await fetch('api/config')).json();
          const shown = [...document.querySelectorAll('#theme option')].map((o) => o.value + '=' + o.textContent).sort();
          const expected = config.attributes.filter((a) => a.outputs.includes('theme')).map((a) => a.name + '=' + a.label[lang]).sort();
          return JSON.stringify(shown) === JSON.stringify(expected) && shown.length > 0 ? [] : shown;
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
            // The themes the map colours by are the schema's theme attributes, each under its label.
            Assert.Equal("[]", (await map.Page.EvaluateAsync<JsonElement>(CheckThemes, lang)).GetRawText());
            var details = await map.Page.EvaluateAsync<JsonElement>(Check, new { lang, form = false });
            Assert.True(details.GetProperty("checked").GetInt32() >= 30, lang + ": the config lists the attributes of the details");
            Assert.Equal("[]", details.GetProperty("problems").GetRawText());

            await map.Page.ClickAsync("#edit-attributes");
            await map.Page.Locator("#edit-form").WaitForAsync();
            var form = await map.Page.EvaluateAsync<JsonElement>(Check, new { lang, form = true });
            Assert.True(form.GetProperty("checked").GetInt32() >= 30, lang + ": the config lists the editable attributes");
            Assert.Equal("[]", form.GetProperty("problems").GetRawText());
            await map.Page.ClickAsync("#edit-cancel");
        }
        Assert.Empty(map.ConsoleErrors);
    }
}
