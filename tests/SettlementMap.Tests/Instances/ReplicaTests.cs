using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Database;
using SettlementMap.Web.Http;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Instances;

/// <summary>
/// The app on a primary and a hot-standby replica (PostgreSQL streaming replication, <see cref="ReplicatedDatabase"/>):
/// reads go to the replica, writes to the primary; a client that wrote reads the primary until the replica has
/// replayed its write; a held-back replay never pairs a stale answer with a new ETag; a replica that is gone or
/// too far behind serves no one.
/// </summary>
public sealed class ReplicaTests(ReplicatedDatabase database) : IClassFixture<ReplicatedDatabase>, IAsyncLifetime
{
    private const string Coordinator = "coord-nis";
    private const string CoordinatorPassword = "demo-coordinator";

    private SettlementMapFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = Start(maxLagSeconds: 600);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await database.ResumeReplayAsync();
    }

    private SettlementMapFactory Start(int maxLagSeconds, string? replica = null) => new(database.PrimaryConnectionString, new Dictionary<string, string>
    {
        ["ConnectionStrings:" + ReadReplica.ConnectionStringName] = replica ?? database.ReplicaConnectionString,
        [ReplicaOptions.Section + ":PollMilliseconds"] = "25",
        [ReplicaOptions.Section + ":MaxLagSeconds"] = maxLagSeconds.ToString(CultureInfo.InvariantCulture),
    });

    private sealed record Answer(HttpStatusCode Status, string? ETag, byte[] Body);

    private static async Task<Answer> ReadAsync(HttpClient client, string url, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        using var response = await client.SendAsync(request);
        return new Answer(response.StatusCode, response.Headers.ETag?.Tag, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The water supply the layer answer gives the settlement.</summary>
    private static string? WaterIn(Answer layer, long id)
    {
        Assert.Equal(HttpStatusCode.OK, layer.Status);
        using var json = JsonDocument.Parse(layer.Body);
        var feature = json.RootElement.GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("properties").GetProperty("id").GetInt64() == id);
        return feature.GetProperty("properties").GetProperty("water_supply").GetString();
    }

    private async Task<(long Id, string Layer, string Tile)> SettlementAsync(int number)
    {
        var code = string.Create(CultureInfo.InvariantCulture, $"DEMO-NIS-{number:000}");
        var id = (long)(await database.PrimaryAsync($"SELECT id FROM settlements WHERE code = '{code}'"))!;
        var lon = (double)(await database.PrimaryAsync($"SELECT ST_X(centroid) FROM settlements WHERE id = {id}"))!;
        var lat = (double)(await database.PrimaryAsync($"SELECT ST_Y(centroid) FROM settlements WHERE id = {id}"))!;
        const int z = 14;
        var n = 1 << z;
        var x = (int)((lon + 180) / 360 * n);
        var y = (int)((1 - Math.Log(Math.Tan(lat * Math.PI / 180) + 1 / Math.Cos(lat * Math.PI / 180)) / Math.PI) / 2 * n);
        return (id, "/api/layers/settlements?municipality=nis", string.Create(CultureInfo.InvariantCulture, $"/tiles/settlements/{z}/{x}/{y}.mvt"));
    }

    private async Task<(HttpClient Client, string Csrf)> CoordinatorAsync()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        return (client, await SignInWithCookieAsync(client, Coordinator, CoordinatorPassword));
    }

    [Fact]
    public async Task A_held_back_replay_never_pairs_a_stale_answer_with_a_new_ETag_and_the_writer_reads_its_own_write()
    {
        var (id, layerUrl, tileUrl) = await SettlementAsync(1);
        using var anonymous = _app.CreateClient();
        var (writer, csrf) = await CoordinatorAsync();
        using var _ = writer;
        await database.WaitForReplayAsync();
        var layerBefore = await ReadAsync(anonymous, layerUrl);
        var tileBefore = await ReadAsync(anonymous, tileUrl);
        Assert.Equal(HttpStatusCode.OK, tileBefore.Status);
        var waterBefore = WaterIn(layerBefore, id);

        await database.PauseReplayAsync();
        var before = await GetAsync(writer, id);
        string waterAfter;
        using (var patch = await PatchAsync(writer, id, Properties("water_supply", waterAfter = OtherWaterSupply(before.Feature.GetProperty("properties").GetProperty("water_supply").GetString())), before.ETag, csrf))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
            Assert.Contains(patch.Headers.GetValues("Set-Cookie"), c => c.StartsWith(ReadYourWrites.CookieName + "=", StringComparison.Ordinal));
        }
        Assert.Equal(waterBefore, (string?)await database.StandbyAsync($"SELECT water_supply::text FROM settlements WHERE id = {id}"));

        // The writer reads its write (from the primary), under a new ETag.
        var writersLayer = await ReadAsync(writer, layerUrl);
        Assert.Equal(waterAfter, WaterIn(writersLayer, id));
        Assert.NotEqual(layerBefore.ETag, writersLayer.ETag);

        // Everyone else reads the replica, held back: the old answer under its old ETag, again and again,
        // and a 304 for the client that holds it. Never the old body under a new tag.
        for (var i = 0; i < 10; i++)
        {
            var layer = await ReadAsync(anonymous, layerUrl);
            Assert.Equal(waterBefore, WaterIn(layer, id));
            Assert.Equal(layerBefore.ETag, layer.ETag);
            var tile = await ReadAsync(anonymous, tileUrl);
            Assert.Equal(tileBefore.ETag, tile.ETag);
            Assert.Equal(tileBefore.Body, tile.Body);
            await Task.Delay(30);
        }
        Assert.Equal(HttpStatusCode.NotModified, (await ReadAsync(anonymous, layerUrl, layerBefore.ETag)).Status);
        // A forged or broken write cookie only decides where that client reads from.
        foreach (var cookie in new[] { "garbage", "FFFFFFFF/FFFFFFFF", "0/0", new string('9', 5000) })
        {
            using var forged = new HttpRequestMessage(HttpMethod.Get, new Uri(layerUrl, UriKind.Relative));
            forged.Headers.Add("Cookie", ReadYourWrites.CookieName + "=" + cookie);
            using var response = await anonymous.SendAsync(forged);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.RequestHeaderFieldsTooLarge or HttpStatusCode.BadRequest, $"{cookie[..Math.Min(20, cookie.Length)]}: {response.StatusCode}");
        }

        // Replay resumes: the new answer comes under a new ETag; a stale body never does.
        await database.ResumeReplayAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var layer = await ReadAsync(anonymous, layerUrl);
            var water = WaterIn(layer, id);
            if (water == waterBefore)
            {
                Assert.Equal(layerBefore.ETag, layer.ETag);
            }
            else
            {
                Assert.Equal(waterAfter, water);
                var tile = await ReadAsync(anonymous, tileUrl);
                if (!tile.Body.SequenceEqual(tileBefore.Body))
                {
                    Assert.NotEqual(tileBefore.ETag, tile.ETag);
                    break;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, "the replica's answer has the write within 30 s of replay resuming");
            await Task.Delay(25);
        }
        // Caught up, the replica's versions are the primary's: its ETag is the one a client sent to the primary gets.
        await database.WaitForReplayAsync();
        await Task.Delay(200);
        using var onPrimary = new HttpRequestMessage(HttpMethod.Get, new Uri(layerUrl, UriKind.Relative));
        onPrimary.Headers.Add("Cookie", ReadYourWrites.CookieName + "=FFFFFFFF/FFFFFFFF");
        using var primaryAnswer = await anonymous.SendAsync(onPrimary);
        Assert.Equal(primaryAnswer.Headers.ETag?.Tag, (await ReadAsync(anonymous, layerUrl)).ETag);
    }

    [Fact]
    public async Task Once_the_replica_has_replayed_the_write_the_writer_reads_the_replica_again()
    {
        var (id, layerUrl, _) = await SettlementAsync(2);
        var (writer, csrf) = await CoordinatorAsync();
        using var _ = writer;
        var before = await GetAsync(writer, id);
        var water = OtherWaterSupply(before.Feature.GetProperty("properties").GetProperty("water_supply").GetString());
        using (var patch = await PatchAsync(writer, id, Properties("water_supply", water), before.ETag, csrf))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }
        await database.WaitForReplayAsync();
        await Task.Delay(200); // a poll or more

        // Held back again, a change written straight into the primary (no cookie of the writer's) is not
        // what the writer reads: its reads are on the replica again.
        await database.PauseReplayAsync();
        var other = OtherWaterSupply(water);
        await database.PrimaryAsync($"UPDATE settlements SET water_supply = '{other}' WHERE id = {id}");
        Assert.Equal(water, WaterIn(await ReadAsync(writer, layerUrl), id));
        await database.ResumeReplayAsync();
    }

    [Fact]
    public async Task Reads_go_to_the_primary_while_the_replica_is_too_far_behind_or_gone()
    {
        var (id, layerUrl, _) = await SettlementAsync(3);
        await using var proxy = new TcpProxy(database.StandbyPort);
        await using var app = Start(maxLagSeconds: 1, database.ReplicaConnectionStringThrough(proxy));
        using var anonymous = app.CreateClient();
        var replica = app.Services.GetRequiredService<ReadReplica>();
        await database.WaitForReplayAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (replica.Usable is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the replica is usable within 10 s of the app starting");
            await Task.Delay(25);
        }

        await database.PauseReplayAsync();
        var water = (string)(await database.PrimaryAsync($"SELECT water_supply::text FROM settlements WHERE id = {id}"))!;
        var other = OtherWaterSupply(water);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await database.PrimaryAsync($"UPDATE settlements SET water_supply = '{other}' WHERE id = {id}");
        // Within MaxLag the replica still answers (the old value): asserted when the read came well within it (a loaded
        // machine may take longer to get there); past MaxLag, the primary (the new value).
        var early = WaterIn(await ReadAsync(anonymous, layerUrl), id);
        if (clock.Elapsed < TimeSpan.FromSeconds(0.5))
        {
            Assert.Equal(water, early);
        }
        deadline = DateTime.UtcNow.AddSeconds(15);
        while (replica.Usable is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "a replica held back past MaxLag stops serving within 15 s");
            await Task.Delay(25);
        }
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"not before MaxLag: {clock.Elapsed}");
        Assert.Equal(other, WaterIn(await ReadAsync(anonymous, layerUrl), id));
        await database.ResumeReplayAsync();
        await database.WaitForReplayAsync();

        // Gone: connections cut and refused. Once a poll has failed (the requests in flight at the cut may fail),
        // every read is answered, from the primary.
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (replica.Usable is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the replica is usable again within 10 s of catching up");
            await Task.Delay(25);
        }
        await proxy.StopAsync();
        deadline = DateTime.UtcNow.AddSeconds(5);
        while (replica.Usable is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the lost replica is noticed within 5 s");
            await Task.Delay(10);
        }
        for (var i = 0; i < 20; i++)
        {
            var layer = await ReadAsync(anonymous, layerUrl);
            Assert.Equal(HttpStatusCode.OK, layer.Status);
            Assert.Equal(other, WaterIn(layer, id));
            await Task.Delay(25);
        }
        Assert.Null(replica.Usable);
    }
}
