using Xunit.Abstractions;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>The application over a fresh copy of the demo database, for one test class.</summary>
public sealed class AppFixture(IMessageSink messageSink) : IAsyncLifetime
{
    private readonly DemoDatabaseFixture _database = new(messageSink);
    private SettlementMapFactory? _factory;

    public SettlementMapFactory Factory => _factory ?? throw new InvalidOperationException("Fixture not initialised.");

    public string ConnectionString => _database.ConnectionString;

    public Web.Data.SettlementMapDbContext CreateContext() => _database.CreateContext();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new SettlementMapFactory(_database.ConnectionString);
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
