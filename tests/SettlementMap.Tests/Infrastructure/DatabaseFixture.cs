using Npgsql;
using SettlementMap.Web.Data;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>A fresh database for one test class, copied from a template; dropped afterwards.</summary>
public abstract class DatabaseFixture(IMessageSink messageSink, string? template) : IAsyncLifetime
{
    private PostgisServer? _server;

    public string ConnectionString { get; private set; } = "";

    public PostgisServer Server => _server ?? throw new InvalidOperationException("Fixture not initialised.");

    public async Task InitializeAsync()
    {
        _server = await PostgisServer.InstanceAsync();
        ConnectionString = await _server.CreateDatabaseAsync(template);
        messageSink.OnMessage(new DiagnosticMessage($"{GetType().Name}: database {new NpgsqlConnectionStringBuilder(ConnectionString).Database} on the {_server.Description}"));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DropDatabaseAsync(ConnectionString);
        }
    }

    public SettlementMapDbContext CreateContext() => PostgisServer.CreateContext(ConnectionString);
}

/// <summary>Migrated, with the demo data set loaded.</summary>
public sealed class DemoDatabaseFixture(IMessageSink messageSink) : DatabaseFixture(messageSink, PostgisServer.DemoTemplate);

/// <summary>Migrated, no rows.</summary>
public sealed class EmptyDatabaseFixture(IMessageSink messageSink) : DatabaseFixture(messageSink, PostgisServer.EmptyTemplate);

/// <summary>A bare database: no extension, no tables.</summary>
public sealed class BareDatabaseFixture(IMessageSink messageSink) : DatabaseFixture(messageSink, null);
