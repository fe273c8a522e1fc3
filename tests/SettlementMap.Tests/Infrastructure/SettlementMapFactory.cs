using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SettlementMap.Web.Http;

namespace SettlementMap.Tests.Infrastructure;

/// <summary>The real application over a test class's database; no base map (tests run offline).</summary>
public sealed class SettlementMapFactory(string connectionString, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>
    /// What every app of the suite runs with (a test's own settings still win). The suite is no single
    /// client: the hostile-input corpora send thousands of requests a minute, the export tests dozens of
    /// exports; the per-client budgets are out of their reach (the limiter still runs) and
    /// ClientRateLimitsTests sets small ones.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SuiteSettings { get; } = new[] { ClientRateLimits.Api, ClientRateLimits.Bulk }
        .SelectMany(budget => new[] { nameof(RateBudget.TokenLimit), nameof(RateBudget.TokensPerPeriod) }
            .Select(setting => ($"{ClientRateLimits.Section}:{budget.Name}:{setting}", "1000000")))
        .ToDictionary(s => s.Item1, s => s.Item2, StringComparer.Ordinal);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:SettlementMap", connectionString);
        builder.UseSetting("Demo:Load", "false");
        builder.UseSetting("Map:BaseLayer:Url", "");
        foreach (var (key, value) in SuiteSettings)
        {
            builder.UseSetting(key, value);
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
        builder.UseEnvironment("Testing");
    }

    private Uri? _kestrelAddress;

    /// <summary>Serves over a real loopback port (for the browser), returning its base address.</summary>
    public Uri StartKestrel()
    {
        if (_kestrelAddress is null)
        {
            UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            StartServer();
            _kestrelAddress = new Uri(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        }
        return _kestrelAddress;
    }
}
