using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Editing;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Editing;

/// <summary>
/// A write sent again with the same Idempotency-Key (a sync whose answer was lost) is answered, not applied again:
/// one settlement, one audit row, and the edit's own first copy is never a 412 against itself.
/// </summary>
public sealed class RequestKeyTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string? body, string? ifMatch, string? key)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(RequestKeys.Header, key);
        }
        return await client.SendAsync(request);
    }

    private async Task<int> ChangesByKeyAsync(Guid key)
    {
        await using var db = app.CreateContext();
        return await db.SettlementChanges.CountAsync(c => c.RequestKey == key);
    }

    [Fact]
    public async Task A_create_sent_twice_makes_one_settlement_and_one_audit_row()
    {
        using var client = await ClientAsync(app, CoordinatorNis);
        var square = await SquareInsideAsync(app, "nis");
        var body = WithGeometry(square, new Dictionary<string, object?> { ["name_latn"] = "Naselje poslato dvaput" });
        var key = Guid.NewGuid();

        using var first = await SendAsync(client, HttpMethod.Post, "/api/settlements", body, null, key.ToString());
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var again = await SendAsync(client, HttpMethod.Post, "/api/settlements", body, null, key.ToString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues(RequestKeys.ReplayedHeader).Single());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);

        await using var db = app.CreateContext();
        Assert.Equal(1, await db.Settlements.CountAsync(s => s.NameLatn == "Naselje poslato dvaput"));
        Assert.Equal(1, await ChangesByKeyAsync(key));
    }

    [Fact]
    public async Task Copies_of_a_create_sent_at_once_make_one_settlement()
    {
        using var client = await ClientAsync(app, CoordinatorNis);
        var square = await SquareInsideAsync(app, "nis");
        var body = WithGeometry(square, new Dictionary<string, object?> { ["name_latn"] = "Naselje poslato odjednom" });
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendAsync(client, HttpMethod.Post, "/api/settlements", body, null, key)));
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, a.StatusCode.ToString()));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Single(answers.Select(a => a.Headers.Location).Distinct());
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
        await using var db = app.CreateContext();
        Assert.Equal(1, await db.Settlements.CountAsync(s => s.NameLatn == "Naselje poslato odjednom"));
    }

    [Fact]
    public async Task An_edit_sent_again_with_its_old_If_Match_is_answered_not_refused_and_audited_once()
    {
        var id = await DemoIdAsync(app, "nis", 4);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);
        var body = Properties("water_supply", OtherWaterSupply(before.Text("water_supply")));
        var key = Guid.NewGuid().ToString();

        using var first = await SendAsync(client, HttpMethod.Patch, Url(id), body, before.ETag, key);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        // Its first copy changed the version: without the key this is a 412 against itself.
        using var again = await SendAsync(client, HttpMethod.Patch, Url(id), body, before.ETag, key);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues(RequestKeys.ReplayedHeader).Single());
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal(1, await ChangesByKeyAsync(Guid.Parse(key)));
        using var withoutKey = await SendAsync(client, HttpMethod.Patch, Url(id), body, before.ETag, null);
        Assert.Equal(HttpStatusCode.PreconditionFailed, withoutKey.StatusCode);
    }

    [Fact]
    public async Task A_delete_sent_again_is_answered_204_and_audited_once()
    {
        var id = await DemoIdAsync(app, "nis", 5);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);
        var key = Guid.NewGuid().ToString();
        using (var first = await SendAsync(client, HttpMethod.Delete, Url(id), null, before.ETag, key))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }
        using var again = await SendAsync(client, HttpMethod.Delete, Url(id), null, before.ETag, key);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues(RequestKeys.ReplayedHeader).Single());
        Assert.Equal(1, await ChangesByKeyAsync(Guid.Parse(key)));
    }

    [Fact]
    public async Task A_key_used_for_another_change_is_refused_by_name_and_keys_are_each_accounts_own()
    {
        var id = await DemoIdAsync(app, "nis", 6);
        var other = await DemoIdAsync(app, "nis", 7);
        using var coordinator = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(coordinator, id);
        var key = Guid.NewGuid().ToString();
        using (var first = await SendAsync(coordinator, HttpMethod.Patch, Url(id), Properties("water_supply", OtherWaterSupply(before.Text("water_supply"))), before.ETag, key))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        var otherBefore = await GetAsync(coordinator, other);
        using (var reused = await SendAsync(coordinator, HttpMethod.Patch, Url(other), Properties("water_supply", OtherWaterSupply(otherBefore.Text("water_supply"))), otherBefore.ETag, key))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
            Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
            Assert.True((await BodyAsync(reused)).GetProperty("errors").TryGetProperty(RequestKeys.Header, out _));
        }
        // Another account's request with the same key is its own change, not an answer from the coordinator's.
        using var administrator = await ClientAsync(app, Admin);
        var now = await GetAsync(administrator, id);
        using var theirs = await SendAsync(administrator, HttpMethod.Patch, Url(id), Properties("water_supply", OtherWaterSupply(now.Text("water_supply"))), now.ETag, key);
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains(RequestKeys.ReplayedHeader));
        Assert.Equal(2, await ChangesByKeyAsync(Guid.Parse(key)));
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("3f2b8c1e-5d4a-4b6e-9c7d-2a1f0e9b8c7d3f2b8c1e-5d4a-4b6e-9c7d-2a1f0e9b8c7d")]
    [InlineData("'; DROP TABLE settlements; --")]
    public async Task A_key_that_is_not_one_UUID_gets_a_400_naming_the_header_and_changes_nothing(string key)
    {
        var id = await DemoIdAsync(app, "nis", 8);
        using var client = await ClientAsync(app, CoordinatorNis);
        var before = await GetAsync(client, id);
        using var response = await SendAsync(client, HttpMethod.Patch, Url(id), Properties("water_supply", OtherWaterSupply(before.Text("water_supply"))), before.ETag, key);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await BodyAsync(response)).GetProperty("errors").TryGetProperty(RequestKeys.Header, out _));
        Assert.Equal(before.ETag, (await GetAsync(client, id)).ETag);
    }
}
