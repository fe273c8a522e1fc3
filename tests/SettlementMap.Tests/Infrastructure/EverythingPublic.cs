using Npgsql;
using SettlementMap.Web.Features.Settlements;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>
/// For a test class about something other than who sees what (a format's details, a protocol, the
/// schema's order): its database made "everything public, generalisation off", so anonymous requests get
/// what an administrator gets, as before issue 21. As a field initializer,
/// <c>private readonly AppFixture app = EverythingPublic.Of(app);</c>, or from InitializeAsync with
/// <see cref="ApplyAsync"/>: before each test, so a test that changed the settings leaves the next one unaffected.
/// </summary>
public static class EverythingPublic
{
    /// <summary>
    /// Writes only when something differs: a statement on these tables bumps the ETags' versions even when it
    /// changes no row, and the app would then see a new version a moment later, in the middle of a test.
    /// The names are the schema's own (no input), so they are written into the block.
    /// </summary>
    private static readonly string Sql = $$"""
        DO $$
        DECLARE names text[] := ARRAY[{{string.Join(", ", SettlementSchema.Attributes.Where(a => a.Restrictable && !a.GeneralisedViewOnly).Select(a => "'" + a.Name + "'"))}}];
        BEGIN
            IF EXISTS (SELECT 1 FROM unnest(names) n WHERE NOT EXISTS (SELECT 1 FROM attribute_levels l WHERE l.attribute = n AND l.level = 'public')) THEN
                INSERT INTO attribute_levels (attribute, level, changed_by) SELECT unnest(names), 'public', 'test'
                ON CONFLICT (attribute) DO UPDATE SET level = 'public';
            END IF;
            IF EXISTS (SELECT 1 FROM disclosure_settings WHERE generalise_small) THEN
                UPDATE disclosure_settings SET generalise_small = false;
            END IF;
        END $$;
        """;

    private static NpgsqlCommand Command(NpgsqlConnection connection) => new(Sql, connection);

    private const string Differs = """
        SELECT EXISTS (SELECT 1 FROM disclosure_settings WHERE generalise_small)
            OR EXISTS (SELECT 1 FROM unnest(@names) n WHERE NOT EXISTS (SELECT 1 FROM attribute_levels l WHERE l.attribute = n AND l.level = 'public'))
        """;

    private static NpgsqlCommand DiffersCommand(NpgsqlConnection connection) => new(Differs, connection)
    {
        Parameters = { new NpgsqlParameter<string[]>("names", [.. SettlementSchema.Attributes.Where(a => a.Restrictable && !a.GeneralisedViewOnly).Select(a => a.Name)]) },
    };

    /// <summary>
    /// How long a running app may take to hear of the change (PostgreSQL's notification, Http/LayerVersions);
    /// waited only after a change. Not by asking the app: touching its services would start it before a test's UseKestrel.
    /// </summary>
    private static readonly TimeSpan NotificationDelay = TimeSpan.FromMilliseconds(300);

    public static AppFixture Of(AppFixture app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Apply(app.ConnectionString))
        {
            Thread.Sleep(NotificationDelay);
        }
        return app;
    }

    /// <summary>The same on a database of a fixture of its own; true when something was changed.</summary>
    public static bool Apply(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using (var differs = DiffersCommand(connection))
        {
            if (!(bool)differs.ExecuteScalar()!)
            {
                return false;
            }
        }
        using var command = Command(connection);
        command.ExecuteNonQuery();
        return true;
    }

    public static async Task ApplyAsync(AppFixture app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using (var differs = DiffersCommand(connection))
        {
            if (!(bool)(await differs.ExecuteScalarAsync())!)
            {
                return;
            }
        }
        await using var command = Command(connection);
        await command.ExecuteNonQueryAsync();
        await Task.Delay(NotificationDelay);
    }
}
