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
    private const string Sql = """
        INSERT INTO attribute_levels (attribute, level, changed_by) SELECT unnest(@attributes), 'public', 'test'
        ON CONFLICT (attribute) DO UPDATE SET level = 'public' WHERE attribute_levels.level <> 'public';
        UPDATE disclosure_settings SET generalise_small = false WHERE generalise_small;
        """;

    private static NpgsqlCommand Command(NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]>("attributes",
            [.. SettlementSchema.Attributes.Where(a => a.Restrictable && !a.GeneralisedViewOnly).Select(a => a.Name)]));
        return command;
    }

    public static AppFixture Of(AppFixture app)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var connection = new NpgsqlConnection(app.ConnectionString);
        connection.Open();
        using var command = Command(connection);
        command.ExecuteNonQuery();
        return app;
    }

    public static async Task ApplyAsync(AppFixture app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = Command(connection);
        await command.ExecuteNonQueryAsync();
    }
}
