using Npgsql;
using SettlementMap.Web.Http;

namespace SettlementMap.Web.Features.Sensitivity;

/// <summary>
/// The current <see cref="DisclosurePolicy"/>, held in memory and read again when its tables' versions
/// (layer_versions, bumped by a trigger and announced to every instance: Http/LayerVersions) change, so
/// an administrator's change reaches every output of every instance at the next request.
/// </summary>
public sealed class DisclosurePolicies(NpgsqlDataSource dataSource, LayerVersions versions)
{
    /// <summary>The tables a policy is read from: their versions are part of every ETag of what it shapes.</summary>
    public static readonly string[] Tables = ["attribute_levels", "disclosure_settings"];

    private DisclosurePolicy? _current;

    public async ValueTask<DisclosurePolicy> GetAsync(CancellationToken cancellationToken)
    {
        // The version first: a change committed during the read below makes the next request read again.
        var version = await versions.GetAsync(Tables, cancellationToken);
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Version == version)
        {
            return current;
        }
        current = await ReadAsync(version, cancellationToken);
        Volatile.Write(ref _current, current);
        return current;
    }

    private async Task<DisclosurePolicy> ReadAsync(string version, CancellationToken cancellationToken)
    {
        var levels = new Dictionary<string, Clearance>(StringComparer.Ordinal);
        var generalisation = Generalisation.Default;
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT attribute, level FROM attribute_levels"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT generalise_small, threshold, radius_m FROM disclosure_settings WHERE id = 1"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // A level this version does not know (written by a newer one) is read as the strictest.
            levels[reader.GetString(0)] = Clearances.TryParse(reader.GetString(1), out var level) ? level : Clearance.Administrators;
        }
        await reader.NextResultAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            generalisation = new Generalisation(reader.GetBoolean(0), reader.GetInt32(1), reader.GetInt32(2));
        }
        return new DisclosurePolicy(levels, generalisation, version);
    }

    /// <summary>What this request's viewer may see under the current policy, worked out once a request.</summary>
    public static async ValueTask<Disclosure> OfAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items[typeof(Disclosure)] is Disclosure known)
        {
            return known;
        }
        var policy = await context.RequestServices.GetRequiredService<DisclosurePolicies>().GetAsync(context.RequestAborted);
        var disclosure = new Disclosure(policy, await Viewer.OfAsync(context));
        context.Items[typeof(Disclosure)] = disclosure;
        return disclosure;
    }
}
