using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using Npgsql;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.History;

/// <summary>A clock the tests set: the editing API dates every change by its TimeProvider.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A settlement's state as history or the audit gives it: what the tests compare.</summary>
public sealed record SettlementState(long Id, string? NameLatn, string? WaterSupply, int? EstimatedInhabitants, Geometry Geom)
{
    public bool SameAs(SettlementState other) =>
        Id == other.Id && NameLatn == other.NameLatn && WaterSupply == other.WaterSupply
        && EstimatedInhabitants == other.EstimatedInhabitants && Geom.EqualsExact(other.Geom);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id} {NameLatn} {WaterSupply} {EstimatedInhabitants} {Geom.Area:E3}");
}

/// <summary>
/// The real editing API (an administrator's token, If-Match from a fresh read) with the fixture's app on a
/// <see cref="ManualClock"/>, so a history is written through the same code as the page's edits at instants a
/// test chooses; and the readers of history and audit the tests compare.
/// </summary>
public sealed class DatedEdits : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private DatedEdits(AppFixture app, ManualClock clock, WebApplicationFactory<Program> factory, HttpClient client)
    {
        App = app;
        Clock = clock;
        _factory = factory;
        Client = client;
    }

    public AppFixture App { get; }

    public ManualClock Clock { get; }

    /// <summary>An administrator's client of the app on the manual clock.</summary>
    public HttpClient Client { get; }

    public static async Task<DatedEdits> StartAsync(AppFixture app, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(app);
        var clock = new ManualClock(start);
        var factory = app.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Edits.TokenAsync(app, Edits.Admin));
        return new DatedEdits(app, clock, factory, client);
    }

    /// <summary>Creates a settlement at <paramref name="at"/>; its id.</summary>
    public async Task<long> CreateAsync(DateTimeOffset at, Polygon outline, string name, string waterSupply, int inhabitants)
    {
        Clock.Now = at;
        using var response = await Edits.CreateAsync(Client, Edits.WithGeometry(outline, new Dictionary<string, object?>
        {
            ["name_latn"] = name,
            ["water_supply"] = waterSupply,
            ["estimated_inhabitants"] = inhabitants,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Edits.BodyAsync(response)).GetProperty("id").GetInt64();
    }

    /// <summary>Changes attributes (and the outline when given) at <paramref name="at"/>, with the version just read.</summary>
    /// <remarks>With <paramref name="validFrom"/>, the change takes effect then (the edit's valid_from), though written at <paramref name="at"/>.</remarks>
    public async Task<HttpResponseMessage> PatchAsync(DateTimeOffset at, long id, Dictionary<string, object?> properties, Geometry? outline = null,
        DateTimeOffset? validFrom = null)
    {
        var read = await Edits.GetAsync(Client, id);
        Clock.Now = at;
        var body = outline is null
            ? JsonSerializer.Serialize(new Dictionary<string, object?> { ["properties"] = properties })
            : Edits.WithGeometry(outline, properties);
        if (validFrom is { } from)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
            node["valid_from"] = At(from);
            body = node.ToJsonString();
        }
        return await Edits.PatchAsync(Client, id, body, read.ETag);
    }

    public async Task DeleteAsync(DateTimeOffset at, long id)
    {
        var read = await Edits.GetAsync(Client, id);
        Clock.Now = at;
        using var response = await Edits.DeleteAsync(Client, id, read.ETag);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Brings back the state before audit row <paramref name="changeId"/> (a deleted settlement: the state it was deleted in).</summary>
    public async Task RestoreAsync(DateTimeOffset at, long id, long changeId) =>
        Assert.True(await TryRestoreAsync(at, id, changeId), $"settlement {id} restored");

    /// <summary>
    /// As <see cref="RestoreAsync"/>, but false when the API refuses it because another settlement now has its code (409
    /// code_taken): a settlement created and deleted at one instant never was in history, so its code may be given again.
    /// </summary>
    public async Task<bool> TryRestoreAsync(DateTimeOffset at, long id, long changeId)
    {
        var read = await Edits.GetAsync(Client, id);
        Clock.Now = at;
        using var response = await Edits.RestoreAsync(Client, id, changeId, read.Status == HttpStatusCode.OK ? read.ETag : null);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.Conflict && body.Contains("\"code_taken\"", StringComparison.Ordinal))
        {
            // Only such a one: a code history holds is never given again (EditingApi's NextCodeAsync).
            Assert.Equal(0L, await Sql.ScalarAsync<long>(App.ConnectionString, $"SELECT count(*) FROM settlement_versions WHERE id = {id}"));
            return false;
        }
        Assert.True(response.IsSuccessStatusCode, body);
        return true;
    }

    /// <summary>The settlement's audit rows, oldest first.</summary>
    public async Task<List<SettlementMap.Web.Data.SettlementChange>> ChangesAsync(IReadOnlyCollection<long> ids)
    {
        await using var db = App.CreateContext();
        return await db.SettlementChanges.AsNoTracking().Where(c => ids.Contains(c.SettlementId)).OrderBy(c => c.ChangedAt).ThenBy(c => c.Id).ToListAsync();
    }

    /// <summary>settlements_as_of(at) for these settlements, by id.</summary>
    public async Task<Dictionary<long, SettlementState>> AsOfAsync(DateTimeOffset at, IReadOnlyCollection<long> ids)
    {
        // With the geometry plugin, as the app reads it.
        var builder = new NpgsqlDataSourceBuilder(App.ConnectionString);
        builder.UseNetTopologySuite();
        await using var dataSource = builder.Build();
        await using var command = dataSource.CreateCommand("""
            SELECT s.id, s.name_latn, s.water_supply::text, s.estimated_inhabitants, s.geom
            FROM settlements_as_of(@at) s WHERE s.id = ANY(@ids)
            """);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var states = new Dictionary<long, SettlementState>();
        while (await reader.ReadAsync())
        {
            var state = new SettlementState(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.GetFieldValue<Geometry>(4));
            Assert.True(states.TryAdd(state.Id, state), $"settlements_as_of gave settlement {state.Id} twice at {At(at)}");
        }
        return states;
    }

    /// <summary>
    /// The model: the audit rows replayed. At an instant each settlement is in the state its last row at or before
    /// it recorded (ties in the order they were written); a delete, or no row yet, means absent.
    /// </summary>
    public static Dictionary<long, SettlementState> Replay(IEnumerable<SettlementMap.Web.Data.SettlementChange> changes, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var states = new Dictionary<long, SettlementState>();
        // A row takes effect when it says (effective_at: an edit's valid_from, a survey's date), else when it was written.
        static DateTimeOffset Effective(SettlementMap.Web.Data.SettlementChange c) => c.EffectiveAt ?? c.ChangedAt;
        foreach (var last in changes.Where(c => Effective(c) <= at).GroupBy(c => c.SettlementId).Select(g => g.OrderBy(Effective).ThenBy(c => c.Id).Last()))
        {
            if (last.Action == SettlementMap.Web.Data.ChangeAction.Delete)
            {
                continue;
            }
            var after = JsonDocument.Parse(last.AttributesAfter!).RootElement;
            states[last.SettlementId] = new SettlementState(last.SettlementId, Text(after, "name_latn"), Text(after, "water_supply"),
                after.TryGetProperty("estimated_inhabitants", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : null, last.GeomAfter!);
        }
        return states;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>An instant as as_of and datetime take it, with all seven fraction digits.</summary>
    public static string At(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}
