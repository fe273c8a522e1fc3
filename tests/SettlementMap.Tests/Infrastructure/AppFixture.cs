using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SettlementMap.Web.Http;
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

    /// <summary>
    /// A context on the app's database whose writes the app sees at once, as it sees its own (without
    /// the interceptor it would see them when PostgreSQL's notification arrives, a moment later).
    /// </summary>
    public Web.Data.SettlementMapDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<Web.Data.SettlementMapDbContext>()
            .UseNpgsql(ConnectionString, o => o.UseNetTopologySuite())
            .AddInterceptors(Factory.Services.GetRequiredService<LayerVersions>().Interceptor)
            .Options);

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
