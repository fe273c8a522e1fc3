using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Accounts;

/// <summary>
/// The data-protection key ring that signs and encrypts the sign-in cookie, the antiforgery tokens and
/// the two-step sign-in secrets. It is kept in PostgreSQL (the table data_protection_keys) rather than
/// in a folder of one machine: behind a load balancer, a cookie one instance issued must open on every
/// other, and the database is the one thing they all share already. Keys are stored unencrypted at rest,
/// as they were in .data/keys: whoever can read the database can read the secrets they protect anyway.
/// </summary>
public static class SharedKeys
{
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        // The application name isolates the key purposes from other apps; every instance must use the same one.
        services.AddDataProtection().SetApplicationName("SettlementMap").PersistKeysToDbContext<SettlementMapDbContext>();
        services.AddOptions<KeyManagementOptions>().PostConfigure<ProjectPaths, ILoggerFactory>((options, paths, logging) =>
            options.XmlRepository = new WithEarlierKeys(options.XmlRepository!,
                new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(paths.LocalState, "keys")), logging)));
        return services;
    }

    /// <summary>
    /// The database's keys, plus those an earlier version kept in .data/keys, copied into the database
    /// the first time they are read: two-step sign-in secrets encrypted with them stay readable, and
    /// sessions survive the upgrade. Keys are told apart by their id, so a key two instances both
    /// copied is still one key.
    /// </summary>
    private sealed class WithEarlierKeys(IXmlRepository database, IXmlRepository earlier) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            var stored = database.GetAllElements().DistinctBy(Identity).ToList();
            var known = stored.Select(Identity).ToHashSet(StringComparer.Ordinal);
            var copied = earlier.GetAllElements().Where(e => !known.Contains(Identity(e))).ToList();
            foreach (var element in copied)
            {
                database.StoreElement(element, element.Attribute("id")?.Value is { } id ? $"key-{id}" : "revocation");
            }
            return [.. stored, .. copied];
        }

        public void StoreElement(XElement element, string friendlyName) => database.StoreElement(element, friendlyName);

        private static string Identity(XElement element) => element.Attribute("id")?.Value ?? element.ToString(SaveOptions.DisableFormatting);
    }
}
