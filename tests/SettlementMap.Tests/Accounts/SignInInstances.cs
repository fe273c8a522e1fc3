using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Accounts;

/// <summary>A clock the test moves, shared by the app instances of a test so that they agree on the time.</summary>
public sealed class TestClock : TimeProvider
{
    private long _ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>
/// More instances of the application over a test class's database, as several servers behind a load
/// balancer would be, each with the test's clock. TestServer has no network, so no client address:
/// here the test plays the network and names the address of each request in <see cref="AddressHeader"/>
/// (set as the connection's remote address before anything else runs; the app itself never reads it).
/// </summary>
public static class SignInInstances
{
    public const string AddressHeader = "X-Test-Client-Address";

    public static WebApplicationFactory<Program> Start(AppFixture app, TimeProvider clock, IReadOnlyDictionary<string, string>? settings = null) =>
        app.Factory.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(services => services.AddSingleton(clock).AddSingleton<IStartupFilter, AddressFromHeader>());
        });

    /// <summary>A page's client (cookies kept) at this address, with its antiforgery token.</summary>
    public static async Task<(HttpClient Client, string Csrf)> ClientAsync(WebApplicationFactory<Program> instance, string address)
    {
        var client = instance.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return (client, await CsrfTokenAsync(client));
    }

    /// <summary>One sign-in from a fresh page at this address.</summary>
    public static async Task<HttpResponseMessage> SignInFromAsync(WebApplicationFactory<Program> instance, string address, string userName, string password)
    {
        var (client, csrf) = await ClientAsync(instance, address);
        using (client)
        {
            return await SignInAsync(client, csrf, userName, password);
        }
    }

    private sealed class AddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
