using Xunit.Abstractions;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>The application over a fresh copy of the demo database, for one test class.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    private readonly DemoDatabaseFixture _database;
    private readonly IReadOnlyDictionary<string, string>? _settings;

    /// <summary>The constructor xunit calls for a class fixture.</summary>
    public AppFixture(IMessageSink messageSink)
        : this(messageSink, null)
    {
    }

    /// <summary>With configuration settings of the test's own (e.g. a lower tile threshold); xunit wants one public constructor.</summary>
    internal AppFixture(IMessageSink messageSink, IReadOnlyDictionary<string, string>? settings)
    {
        _database = new DemoDatabaseFixture(messageSink);
        _settings = settings;
    }

    private SettlementMapFactory? _factory;

    public SettlementMapFactory Factory => _factory ?? throw new InvalidOperationException("Fixture not initialised.");

    public string ConnectionString => _database.ConnectionString;

    public Web.Data.SettlementMapDbContext CreateContext() => _database.CreateContext();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new SettlementMapFactory(_database.ConnectionString, _settings);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        await _database.DisposeAsync();
    }
}
