using System.Collections.Concurrent;
using Npgsql;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>
/// For a test class about something other than who sees what (a format's details, a protocol): its database
/// made "everything public, generalisation off", so anonymous requests get what an administrator gets, as
/// before issue 21. Used as a field initializer, <c>private readonly AppFixture app = EverythingPublic.Of(app);</c>;
/// applied once per database (idempotent), before the class's first request.
/// </summary>
public static class EverythingPublic
{
    private static readonly ConcurrentDictionary<string, bool> Applied = new(StringComparer.Ordinal);

    public static AppFixture Of(AppFixture app)
    {
        ArgumentNullException.ThrowIfNull(app);
        Applied.GetOrAdd(app.ConnectionString, connectionString =>
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO attribute_levels (attribute, level, changed_by) SELECT unnest(@attributes), 'public', 'test'
                ON CONFLICT (attribute) DO UPDATE SET level = 'public';
                UPDATE disclosure_settings SET generalise_small = false;
                """;
            command.Parameters.Add(new NpgsqlParameter<string[]>("attributes",
                [.. SettlementSchema.Attributes.Where(a => a.Restrictable && !a.GeneralisedViewOnly).Select(a => a.Name)]));
            command.ExecuteNonQuery();
            return true;
        });
        return app;
    }
}
