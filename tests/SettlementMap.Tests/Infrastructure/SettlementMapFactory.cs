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
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:SettlementMap", connectionString);
        builder.UseSetting("Demo:Load", "false");
        builder.UseSetting("Map:BaseLayer:Url", "");
        // The suite is no single client: the hostile-input corpus sends thousands of requests a minute, the
        // export tests dozens of exports. Its budgets are out of reach (the limiter still runs);
        // ClientRateLimitsTests sets small ones.
        foreach (var budget in new[] { ClientRateLimits.Api, ClientRateLimits.Bulk })
        {
            builder.UseSetting($"{ClientRateLimits.Section}:{budget.Name}:{nameof(RateBudget.TokenLimit)}", "1000000");
            builder.UseSetting($"{ClientRateLimits.Section}:{budget.Name}:{nameof(RateBudget.TokensPerPeriod)}", "1000000");
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
