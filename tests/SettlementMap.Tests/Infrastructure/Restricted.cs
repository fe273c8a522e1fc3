using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>The settlements <see cref="Restricted.SetUpAsync"/> marked: one in Niš (the coordinator's own), one in Kragujevac, one small (generalised).</summary>
public sealed record HiddenSettlements(long OwnId, long OtherId, long SmallId);

/// <summary>
/// A text attribute made "administrators only" in a test class's database, with a distinctive value in a settlement
/// of Niš (coord-nis's own municipality) and another in Kragujevac: what the data outputs' tests search every byte
/// for. A coordinator of Niš sees the first value and not the second; anonymous visitors neither, nor the key.
/// </summary>
public static partial class Restricted
{
    /// <summary>The attribute made "administrators only".</summary>
    public const string Name = "population_source";
    public const string OwnValue = "TajniIzvorNis7Q4";
    public const string OtherValue = "TajniIzvorKg9Z2";

    /// <summary>A name that is no attribute at all: a request naming it must be answered as one naming <see cref="Name"/>.</summary>
    public const string Nonexistent = "population_sourcf";

    private static readonly ConcurrentDictionary<string, Lazy<Task<HiddenSettlements>>> Done = new(StringComparer.Ordinal);

    /// <summary>Once per database: the level, the two values, and a small settlement (fewer than 100 inhabitants) that the public view generalises.</summary>
    public static Task<HiddenSettlements> SetUpAsync(AppFixture app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return Done.GetOrAdd(app.ConnectionString, _ => new Lazy<Task<HiddenSettlements>>(async () =>
        {
            // Through the app's own context: the app sees the new level at its next request.
            await using var db = app.CreateContext();
            await db.Database.ExecuteSqlRawAsync($"""
                INSERT INTO attribute_levels (attribute, level, changed_by) VALUES ('{Name}', 'administrators', 'test')
                ON CONFLICT (attribute) DO UPDATE SET level = EXCLUDED.level
                """);
            var own = await db.Settlements.Where(s => s.Municipality!.Code == "nis" && s.EstimatedInhabitants >= 200).OrderBy(s => s.Id).FirstAsync();
            var other = await db.Settlements.Where(s => s.Municipality!.Code == "kragujevac" && s.EstimatedInhabitants >= 200).OrderBy(s => s.Id).FirstAsync();
            var small = await db.Settlements.Where(s => s.EstimatedInhabitants < 100).OrderBy(s => s.Id).FirstAsync();
            own.PopulationSource = OwnValue;
            other.PopulationSource = OtherValue;
            await db.SaveChangesAsync();
            return new HiddenSettlements(own.Id, other.Id, small.Id);
        })).Value;
    }

    /// <summary>A client of this role (anonymous, coordinator = coord-nis, administrator) sending a personal access token.</summary>
    public static async Task<HttpClient> ClientAsync(AppFixture app, string role)
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = app.Factory.CreateClient();
        if (role != "anonymous")
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Editing.Edits.TokenAsync(app, role == "coordinator" ? "coord-nis" : "admin"));
        }
        return client;
    }

    public static TheoryData<string> Roles => new() { "anonymous", "coordinator", "administrator" };

    /// <summary>
    /// Asserts what a role may find in an output's bytes: the key and the Niš value for a coordinator and an
    /// administrator, the Kragujevac value for an administrator only, neither key nor value for anonymous.
    /// </summary>
    /// <param name="role">anonymous, coordinator or administrator.</param>
    /// <param name="text">The output, every byte (as UTF-8).</param>
    /// <param name="output">What it is, for the message.</param>
    /// <param name="holdsValues">False for an output of names only (the export metadata): the values are then absent for everyone.</param>
    public static void AssertDisclosed(string role, string text, string output, bool holdsValues = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        Assert.True(text.Contains(Name, StringComparison.Ordinal) == (role != "anonymous"), $"{output} for {role}: the key {Name}");
        Assert.True(text.Contains(OwnValue, StringComparison.Ordinal) == (holdsValues && role != "anonymous"), $"{output} for {role}: the Niš value");
        Assert.True(text.Contains(OtherValue, StringComparison.Ordinal) == (holdsValues && role == "administrator"), $"{output} for {role}: the Kragujevac value");
        // A default "administrators" attribute: absent for anonymous visitors, key and all.
        Assert.True(text.Contains("eviction_threat", StringComparison.Ordinal) == (role != "anonymous"), $"{output} for {role}: eviction_threat");
    }

    /// <summary>A problem answer with the attribute's name and the request's trace id taken out: the same for a hidden and a nonexistent name.</summary>
    public static string WithoutName(string body, string name) => TraceId().Replace(body, "").Replace(name, "NAME", StringComparison.Ordinal);

    [GeneratedRegex("\"trace_id\":\"[^\"]*\",?|\"traceId\":\"[^\"]*\",?")]
    private static partial Regex TraceId();
}
