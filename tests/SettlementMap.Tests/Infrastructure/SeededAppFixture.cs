using SettlementMap.Web.Data;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>
/// The application over an empty database that a test class fills by hand (<see cref="SeedAsync"/>), so every figure
/// can be counted from the fixture's description; made "everything public, generalisation off" (the hand counts
/// include small settlements), for classes about something other than who sees what.
/// </summary>
public abstract class SeededAppFixture(IMessageSink messageSink) : IAsyncLifetime
{
    private readonly EmptyDatabaseFixture _database = new(messageSink);
    private SettlementMapFactory? _factory;

    public SettlementMapFactory Factory => _factory ?? throw new InvalidOperationException("Fixture not initialised.");

    public string ConnectionString => _database.ConnectionString;

    protected abstract Task SeedAsync(SettlementMapDbContext db);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using (var db = _database.CreateContext())
        {
            await SeedAsync(db);
        }
        EverythingPublic.Apply(_database.ConnectionString);
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
