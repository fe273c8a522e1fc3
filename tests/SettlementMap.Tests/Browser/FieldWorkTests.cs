using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using NetTopologySuite.Geometries;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Web.Data.Demo;
using Xunit.Abstractions;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Browser;

/// <summary>
/// A coordinator in the field (issue 25): the position from the browser (mocked), many changes made without a network
/// and sent later, a sync cut halfway, a session that ended meanwhile, deletes on either side, and the whole walk of
/// the "done means". Nothing lost, nothing sent twice, one audit row per saved change.
/// </summary>
public sealed class FieldWorkTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan LongWait = TimeSpan.FromMinutes(2);

    private async Task<MapPage> OpenAsync(string userName, Point? position = null, string hash = "")
    {
        var options = new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, Locale = "en-GB" };
        if (position is not null)
        {
            options.Geolocation = new Geolocation { Latitude = (float)position.Y, Longitude = (float)position.X, Accuracy = 8 };
            options.Permissions = ["geolocation"];
        }
        var map = await browser.OpenAsync(hash, context: await browser.Browser.NewContextAsync(options));
        if (userName.Length > 0)
        {
            await EditingPageTests.SignInAsync(map, userName, userName == Admin ? DemoAccounts.AdministratorPassword : DemoAccounts.CoordinatorPassword);
        }
        return map;
    }

    private static async Task TakeOfflineAsync(MapPage map)
    {
        await map.Page.EvaluateAsync("() => navigator.serviceWorker.ready");
        await map.Page.ClickAsync("#offline-take");
        await map.Page.Locator("#offline-taken").WaitForAsync(new LocatorWaitForOptions { Timeout = (float)LongWait.TotalMilliseconds });
    }

    private static async Task ShowAsync(MapPage map, long id)
    {
        await map.Page.ClickAsync($"#results button[data-id='{id}']");
        await map.Page.Locator("#details-body dl").First.WaitForAsync();
    }

    private static Task WaitingAsync(MapPage map, int count) =>
        Assertions.Expect(map.Page.Locator("#offline-waiting")).ToHaveTextAsync($"Changes waiting to be sent: {count}");

    /// <summary>An attribute edit in the page's form, for a settlement whose details are reachable (online or from the copy).</summary>
    private static async Task EditAsync(MapPage map, long id, string control, string value, int waitingAfter)
    {
        await ShowAsync(map, id);
        await map.Page.ClickAsync("#edit-attributes");
        if (control == "#edit-water_supply")
        {
            await map.Page.SelectOptionAsync(control, value);
        }
        else
        {
            await map.Page.FillAsync(control, value);
        }
        await map.Page.ClickAsync("#edit-save");
        await WaitingAsync(map, waitingAfter);
    }

    /// <summary>
    /// Sets households to <paramref name="wanted"/> (small: at most the inhabitants, a rule of the schema), or to 0
    /// when the form already shows that value; returns the value set.
    /// </summary>
    private static async Task<int> EditHouseholdsAsync(MapPage map, long id, int wanted, int waitingAfter)
    {
        await ShowAsync(map, id);
        await map.Page.ClickAsync("#edit-attributes");
        var value = await map.Page.InputValueAsync("#edit-households") == Invariant($"{wanted}") ? 0 : wanted;
        await map.Page.FillAsync("#edit-households", Invariant($"{value}"));
        await map.Page.ClickAsync("#edit-save");
        await WaitingAsync(map, waitingAfter);
        return value;
    }

    private async Task<List<long>> NisIdsAsync(int count)
    {
        await using var db = browser.App.CreateContext();
        return await db.Settlements.Where(s => s.Municipality!.Code == "nis").OrderBy(s => s.Id).Select(s => s.Id).Take(count).ToListAsync();
    }

    private async Task<(int? Households, int Changes, int Keys)> StoredAsync(long id)
    {
        await using var db = browser.App.CreateContext();
        var households = await db.Settlements.Where(s => s.Id == id).Select(s => s.Households).SingleAsync();
        var changes = db.SettlementChanges.Where(c => c.SettlementId == id);
        return (households, await changes.CountAsync(), await changes.Where(c => c.RequestKey != null).Select(c => c.RequestKey).Distinct().CountAsync());
    }

    private async Task<Point> FreeSpotInNisAsync() => (await SquareInsideAsync(browser.App, "nis")).Centroid;

    [Fact]
    public async Task Where_am_I_shows_the_mocked_position_and_a_settlement_drawn_from_it_is_created_around_it()
    {
        var spot = await FreeSpotInNisAsync();
        await using var map = await OpenAsync(DemoAccounts.CoordinatorPrefix + "nis", spot);

        await map.Page.ClickAsync("#locate-me");
        await Assertions.Expect(map.Page.Locator("#status")).ToHaveTextAsync("Your position, to within 8 m.");
        await map.Page.WaitForFunctionAsync("() => window.settlementMap.view.map && window.settlementMap.view.map.zoom === 17");
        var centre = await map.Page.EvaluateAsync<double[]>("() => { const m = window.settlementMap.view.map; return [m.lat, m.lon, m.zoom]; }");
        Assert.Equal(spot.Y, centre[0], 3);
        Assert.Equal(spot.X, centre[1], 3);
        Assert.Equal(17, centre[2]);

        await map.Page.ClickAsync("#draw-here");
        await map.Page.Locator("#new-form").WaitForAsync();
        await Assertions.Expect(map.Page.Locator("#status")).ToContainTextAsync("A square of 40 m around your position");
        await map.Page.FillAsync("#new-name_latn", "Kod bunara");
        await map.Page.ClickAsync("#new-save");
        await map.Page.Locator("#details-body dl").First.WaitForAsync();

        await using var db = browser.App.CreateContext();
        var created = await db.Settlements.Where(s => s.NameLatn == "Kod bunara").Select(s => new { s.Id, s.Municipality!.Code, s.Geom }).SingleAsync();
        Assert.Equal("nis", created.Code); // "from the position" chose the municipality it lies in
        Assert.True(created.Geom.Contains(spot), "the outline is drawn around the position");
        Assert.InRange(created.Geom.Area, 1e-8, 1e-6); // about 40 × 40 m, not a world-sized square
    }

    [Fact]
    public async Task A_position_the_browser_may_not_tell_is_said_in_the_page_language_and_nothing_is_drawn()
    {
        await using var map = await OpenAsync(DemoAccounts.CoordinatorPrefix + "nis");
        await map.Context.ClearPermissionsAsync();
        await map.Page.ClickAsync("#locate-me");
        await Assertions.Expect(map.Page.Locator("#status")).ToHaveTextAsync("The browser is not allowed to tell your position: allow it in the site settings.");
        await map.Page.ClickAsync("#draw-here");
        await Assertions.Expect(map.Page.Locator("#status")).ToContainTextAsync("not allowed");
        Assert.Equal(0, await map.Page.Locator("#new-form").CountAsync());
    }

    /// <summary>
    /// coord-nis takes Niš offline, goes offline and sets households <paramref name="count"/> times, round the
    /// settlements in turn; returns the page, the stored state before, and each settlement's last value.
    /// </summary>
    private async Task<(MapPage Map, Dictionary<long, (int? Households, int Changes, int Keys)> Before, Dictionary<long, int> Expected)> QueueOfflineAsync(
        List<long> ids, int count)
    {
        var before = new Dictionary<long, (int? Households, int Changes, int Keys)>();
        foreach (var id in ids)
        {
            before[id] = await StoredAsync(id);
        }
        var map = await OpenAsync(DemoAccounts.CoordinatorPrefix + "nis");
        await map.Page.SelectOptionAsync("#filter-municipality", "nis");
        await map.IdleAsync();
        await TakeOfflineAsync(map);
        await map.Page.Context.SetOfflineAsync(true);
        var expected = new Dictionary<long, int>();
        for (var change = 0; change < count; change++)
        {
            var id = ids[change % ids.Count];
            expected[id] = await EditHouseholdsAsync(map, id, change + 1, change + 1);
        }
        return (map, before, expected);
    }

    [Fact]
    public async Task Fifty_changes_made_offline_are_sent_in_order_once_each_with_one_audit_row_apiece()
    {
        var ids = await NisIdsAsync(10);
        // Five rounds over ten settlements: each settlement's households set five times, each on top of the last.
        var (map, before, expected) = await QueueOfflineAsync(ids, 50);
        await using var _ = map;
        foreach (var id in ids)
        {
            Assert.Equal(before[id], await StoredAsync(id));
        }

        var clock = Stopwatch.StartNew();
        await map.Page.Context.SetOfflineAsync(false);
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Sent: 50.", new LocatorAssertionsToHaveTextOptions { Timeout = (float)LongWait.TotalMilliseconds });
        output.WriteLine($"fifty queued changes synced in {clock.ElapsedMilliseconds} ms (from the browser going online to the note)");
        foreach (var id in ids)
        {
            var (households, changes, keys) = await StoredAsync(id);
            Assert.Equal(expected[id], households);
            Assert.Equal(before[id].Changes + 5, changes);
            Assert.Equal(before[id].Keys + 5, keys);
        }
        await map.Page.ClickAsync("#offline-remove");
    }

    [Fact]
    public async Task A_sync_cut_halfway_with_an_answer_lost_keeps_the_rest_and_sends_nothing_twice()
    {
        var ids = (await NisIdsAsync(14)).Skip(10).ToList();
        var (map, before, expected) = await QueueOfflineAsync(ids, 20);
        await using var _ = map;

        // The tenth write reaches the server, which saves it, but its answer is lost; the network is gone after it.
        var writes = 0;
        var tenth = 0;
        await map.Page.RouteAsync("**/api/settlements/*", async route =>
        {
            if (route.Request.Method != "PATCH")
            {
                await route.ContinueAsync();
                return;
            }
            writes++;
            if (writes == 10)
            {
                tenth = (await route.FetchAsync()).Status;
            }
            await (writes < 10 ? route.ContinueAsync() : route.AbortAsync());
        });
        await map.Page.Context.SetOfflineAsync(false);
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToContainTextAsync("Still no network", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        await WaitingAsync(map, 11); // nine answered; the tenth's answer is unknown, so it waits with the ten after it
        Assert.Equal(200, tenth);
        Assert.Equal(10, await SavedSinceAsync(before));

        await map.Page.UnrouteAllAsync(new PageUnrouteAllOptions { Behavior = UnrouteBehavior.Wait });
        await map.Page.ClickAsync("#offline-send");
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Sent: 11.", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        Assert.Equal(20, await SavedSinceAsync(before)); // the tenth was answered from its key, not applied again
        foreach (var id in ids)
        {
            Assert.Equal(expected[id], (await StoredAsync(id)).Households);
        }
        await map.Page.ClickAsync("#offline-remove");
    }

    private async Task<int> SavedSinceAsync(Dictionary<long, (int? Households, int Changes, int Keys)> before)
    {
        var saved = 0;
        foreach (var (id, was) in before)
        {
            var now = await StoredAsync(id);
            Assert.Equal(now.Changes - was.Changes, now.Keys - was.Keys); // every new row its own key: none twice
            saved += now.Changes - was.Changes;
        }
        return saved;
    }

    /// <summary>coord-kragujevac opens a Kragujevac settlement, goes offline and sets its households: one change waits.</summary>
    private async Task<MapPage> QueueOneEditAsync(long id, string households)
    {
        var map = await OpenAsync(DemoAccounts.CoordinatorPrefix + "kragujevac");
        await map.Page.SelectOptionAsync("#filter-municipality", "kragujevac");
        await map.IdleAsync();
        await ShowAsync(map, id);
        await map.Page.Context.SetOfflineAsync(true);
        await map.Page.ClickAsync("#edit-attributes");
        await map.Page.FillAsync("#edit-households", households);
        await map.Page.ClickAsync("#edit-save");
        await WaitingAsync(map, 1);
        return map;
    }

    [Fact]
    public async Task A_colleagues_change_to_another_field_meanwhile_is_kept_and_the_offline_change_goes_without_asking()
    {
        var id = await DemoIdAsync(browser.App, "kragujevac", 4);
        var was = await StoredAsync(id);
        var water = await WaterSupplyAsync(browser.App, id);
        await using var map = await QueueOneEditAsync(id, "9");

        using (var administrator = await ClientAsync(browser.App, Admin))
        {
            var read = await GetAsync(administrator, id);
            using var saved = await PatchAsync(administrator, id, Properties("water_supply", OtherWaterSupply(water)), read.ETag);
            Assert.True(saved.IsSuccessStatusCode, saved.StatusCode.ToString());
        }
        await map.Page.Context.SetOfflineAsync(false);
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Sent: 1.");
        Assert.Equal(0, await map.Page.Locator(".offline-conflict").CountAsync());
        Assert.Equal((9, was.Changes + 2), ((await StoredAsync(id)).Households, (await StoredAsync(id)).Changes));
        Assert.Equal(OtherWaterSupply(water), await WaterSupplyAsync(browser.App, id)); // theirs kept
    }

    [Fact]
    public async Task A_session_that_ended_while_offline_asks_for_sign_in_keeps_the_change_and_sends_it_after()
    {
        var id = (await NisIdsAsync(15))[14];
        var was = await StoredAsync(id);
        var userName = DemoAccounts.CoordinatorPrefix + "nis";
        await using var map = await OpenAsync(userName);
        await map.Page.SelectOptionAsync("#filter-municipality", "nis");
        await map.IdleAsync();
        await ShowAsync(map, id);
        await map.Page.Context.SetOfflineAsync(true);
        await map.Page.ClickAsync("#edit-attributes");
        await map.Page.FillAsync("#edit-households", "21");
        await map.Page.ClickAsync("#edit-save");
        await WaitingAsync(map, 1);

        await map.Context.ClearCookiesAsync(); // the session is gone when the network comes back
        await map.Page.Context.SetOfflineAsync(false);
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Your session has ended: sign in again to send the changes (they are kept).");
        await WaitingAsync(map, 1);
        Assert.Equal(was, await StoredAsync(id));

        await EditingPageTests.SignInAsync(map, userName, DemoAccounts.CoordinatorPassword);
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Sent: 1.");
        Assert.Equal((21, was.Changes + 1), ((await StoredAsync(id)).Households, (await StoredAsync(id)).Changes));
    }

    [Fact]
    public async Task A_delete_made_offline_of_a_settlement_changed_meanwhile_asks_first_and_deletes_once_when_told()
    {
        var id = await DemoIdAsync(browser.App, "kragujevac", 2);
        var was = await StoredAsync(id);
        await using var map = await OpenAsync(DemoAccounts.CoordinatorPrefix + "kragujevac");
        map.Page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await map.Page.SelectOptionAsync("#filter-municipality", "kragujevac");
        await map.IdleAsync();
        await ShowAsync(map, id);
        await map.Page.Context.SetOfflineAsync(true);
        await map.Page.ClickAsync("#delete-settlement");
        await Assertions.Expect(map.Page.Locator("#edit-message")).ToContainTextAsync("the delete is kept on this device");
        await WaitingAsync(map, 1);

        using (var administrator = await ClientAsync(browser.App, Admin))
        {
            var read = await GetAsync(administrator, id);
            using var saved = await PatchAsync(administrator, id, Properties("households", 12), read.ETag);
            Assert.True(saved.IsSuccessStatusCode, saved.StatusCode.ToString());
        }
        await map.Page.Context.SetOfflineAsync(false);
        var conflict = map.Page.Locator(".offline-conflict");
        await Assertions.Expect(conflict.Locator("legend")).ToContainTextAsync("deleted here, changed on the server");
        await Assertions.Expect(conflict).ToContainTextAsync("(admin,");
        Assert.NotNull(await RowAsync(browser.App, id)); // not deleted unseen

        await map.Page.ClickAsync(".offline-delete-anyway");
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Sent: 1.");
        Assert.Null(await RowAsync(browser.App, id));
        var changes = await ChangesAsync(browser.App, id);
        Assert.Equal(was.Changes + 2, changes.Count);
        Assert.Equal([ChangeAction.Update, ChangeAction.Delete], changes.TakeLast(2).Select(c => c.Action));
    }

    [Fact]
    public async Task An_edit_made_offline_of_a_settlement_deleted_meanwhile_shows_who_deleted_it_and_what_would_be_lost()
    {
        var id = await DemoIdAsync(browser.App, "kragujevac", 3);
        await using var map = await QueueOneEditAsync(id, "7");

        using (var administrator = await ClientAsync(browser.App, Admin))
        {
            var read = await GetAsync(administrator, id);
            using var deleted = await DeleteAsync(administrator, id, read.ETag);
            Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        }
        await map.Page.Context.SetOfflineAsync(false);
        var conflict = map.Page.Locator(".offline-conflict");
        await Assertions.Expect(conflict.Locator("legend")).ToContainTextAsync("deleted on the server");
        await Assertions.Expect(conflict).ToContainTextAsync("(admin,");
        await Assertions.Expect(conflict.Locator(".offline-change-list")).ToContainTextAsync("Households: 7");
        var changes = (await ChangesAsync(browser.App, id)).Count;

        await map.Page.ClickAsync(".offline-discard");
        await Assertions.Expect(map.Page.Locator(".offline-conflict")).ToHaveCountAsync(0);
        Assert.Equal(changes, (await ChangesAsync(browser.App, id)).Count);
    }

    [Fact]
    public async Task An_administrator_is_offered_no_offline_copy_and_a_coordinator_is()
    {
        await using (var administrator = await OpenAsync(Admin))
        {
            await Assertions.Expect(administrator.Page.Locator("#sign-out")).ToBeVisibleAsync();
            await Assertions.Expect(administrator.Page.Locator("#offline-take")).ToBeHiddenAsync();
        }
        await using var coordinator = await OpenAsync(DemoAccounts.CoordinatorPrefix + "nis");
        await Assertions.Expect(coordinator.Page.Locator("#offline-take")).ToHaveTextAsync("Take Niš offline");
    }

    [Fact]
    public async Task A_new_version_of_the_service_worker_drops_the_old_shell_and_keeps_the_offline_copy()
    {
        await using var map = await OpenAsync(DemoAccounts.CoordinatorPrefix + "nis");
        await map.Page.EvaluateAsync("() => navigator.serviceWorker.ready");
        // An older version's shell beside this one's, and a coordinator's copy.
        await map.Page.EvaluateAsync("async () => { await caches.open('settlementmap-shell-v0'); await caches.open('settlementmap-offline'); }");
        Assert.Contains("settlementmap-shell-v1", await map.Page.EvaluateAsync<string[]>("() => caches.keys()"));

        // A new worker (another script address is an update to the browser) installs and activates.
        var after = await map.Page.EvaluateAsync<string[]>("""
            async () => {
              const registration = await navigator.serviceWorker.register('sw.js?version=next');
              const worker = registration.installing || registration.waiting || registration.active;
              if (worker.state !== 'activated') await new Promise((done) => worker.addEventListener('statechange', () => { if (worker.state === 'activated') done(); }));
              return caches.keys();
            }
            """);
        Assert.DoesNotContain("settlementmap-shell-v0", after);
        Assert.Contains("settlementmap-shell-v1", after);
        Assert.Contains("settlementmap-offline", after);
    }

    /// <summary>The "done means", in one walk.</summary>
    [Fact]
    public async Task Done_means_coord_nis_takes_Nis_offline_edits_two_draws_one_reloads_resolves_a_colleagues_change_and_sees_it_all()
    {
        var ids = await NisIdsAsync(15);
        long first = ids[11], second = ids[12];
        var spot = await FreeSpotInNisAsync();
        var colleague = await ColleagueAsync("coord-nis-colleague");
        var firstChanges = (await StoredAsync(first)).Changes;
        var secondChanges = (await StoredAsync(second)).Changes;
        var water = await WaterSupplyAsync(browser.App, first);
        var mine = OtherWaterSupply(water);
        var theirs = WaterSupplies.First(w => w != mine && w != water);

        await using var map = await OpenAsync(DemoAccounts.CoordinatorPrefix + "nis", spot);
        await map.Page.SelectOptionAsync("#filter-municipality", "nis");
        await map.IdleAsync();
        var shownBefore = await map.ShownCountAsync();
        await TakeOfflineAsync(map);

        await map.Page.Context.SetOfflineAsync(true);
        // Offline for the service worker too (Playwright's setOffline once did not reach it, microsoft/playwright#2311):
        // what the copy lacks does not come from the server.
        Assert.False(await map.Page.EvaluateAsync<bool>("() => fetch('api/settlements/999999').then(() => true, () => false)"));
        await EditAsync(map, first, "#edit-water_supply", mine, 1);
        await EditAsync(map, second, "#edit-households", "12", 2);
        await map.Page.ClickAsync("#draw-here");
        await map.Page.Locator("#new-form").WaitForAsync();
        await map.Page.FillAsync("#new-name_latn", "Mahala kod pruge 25");
        await map.Page.ClickAsync("#new-save");
        await WaitingAsync(map, 3);

        await map.Page.ReloadAsync(); // from the service worker and the offline copy
        await map.ReadyAsync();
        await WaitingAsync(map, 3);

        // Meanwhile another Niš coordinator sets the first settlement's water supply otherwise.
        using (var client = await ClientAsync(browser.App, colleague))
        {
            var read = await GetAsync(client, first);
            using var saved = await PatchAsync(client, first, Properties("water_supply", theirs), read.ETag);
            Assert.True(saved.IsSuccessStatusCode, saved.StatusCode.ToString());
        }

        await map.Page.Context.SetOfflineAsync(false);
        var conflict = map.Page.Locator(".offline-conflict [data-field=water_supply]");
        await conflict.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Sent: 2.");
        await Assertions.Expect(conflict).ToContainTextAsync($"({colleague},");
        Assert.Equal(theirs, await WaterSupplyAsync(browser.App, first)); // nothing overwritten unseen
        Directory.CreateDirectory(MapPageTests.ScreenshotDirectory);
        await map.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(MapPageTests.ScreenshotDirectory, "field-work-conflict.png") });

        await map.Page.ClickAsync(".offline-decide"); // mine
        await Assertions.Expect(map.Page.Locator("#offline-note-text")).ToHaveTextAsync("Sent: 1.");
        Assert.Equal(0, await map.Page.Locator("#offline-queue .offline-conflict").CountAsync());

        // The database: each saved change once; the history: the colleague's and mine.
        Assert.Equal(mine, await WaterSupplyAsync(browser.App, first));
        Assert.Equal(firstChanges + 2, (await StoredAsync(first)).Changes);
        Assert.Equal((12, secondChanges + 1), ((await StoredAsync(second)).Households, (await StoredAsync(second)).Changes));
        await using var db = browser.App.CreateContext();
        var created = await db.Settlements.Where(s => s.NameLatn == "Mahala kod pruge 25").Select(s => new { s.Id, s.Geom }).SingleAsync();
        Assert.True(created.Geom.Contains(spot));
        Assert.Single(await ChangesAsync(browser.App, created.Id));

        // The page: the new settlement on the map and in the list; the history names both.
        await map.Page.SelectOptionAsync("#filter-municipality", "nis");
        await map.IdleAsync();
        Assert.Equal(shownBefore + 1, await map.ShownCountAsync());
        await Assertions.Expect(map.Page.Locator($"#results button[data-id='{created.Id}']")).ToBeVisibleAsync();
        await ShowAsync(map, first);
        var history = map.Page.Locator(".history-list");
        await Assertions.Expect(history).ToContainTextAsync(colleague);
        await Assertions.Expect(history).ToContainTextAsync(DemoAccounts.CoordinatorPrefix + "nis");
        await map.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(MapPageTests.ScreenshotDirectory, "field-work-history.png") });
        await map.Page.ClickAsync("#offline-remove");
    }

    /// <summary>A second coordinator of Niš (signs in by token only).</summary>
    private async Task<string> ColleagueAsync(string userName)
    {
        await using var db = browser.App.CreateContext();
        var user = new UserAccount { UserName = userName, DisplayName = userName, PasswordHash = "not a hash: signs in by token only", Role = UserRole.Coordinator, CreatedAt = DateTimeOffset.UtcNow };
        user.Municipalities.Add(await db.Municipalities.SingleAsync(m => m.Code == "nis"));
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return userName;
    }
}
