using System.Text.Json;
using System.Text.Json.Serialization;
using SettlementMap.Web;
using SettlementMap.Web.Data.Demo;
using SettlementMap.Web.Database;
using SettlementMap.Web.Features.Layers;
using SettlementMap.Web.Features.MapPage;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Http;

var paths = ProjectPaths.Find();
if (args is ["build-demo-data", ..])
{
    await DemoCommands.BuildDemoDataAsync(paths);
    return 0;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = paths.WebRoot });
await builder.AddSettlementMapDatabaseAsync(paths);
builder.Services.AddSingleton(paths).AddSingleton<DemoFiles>().AddScoped<DemoDataLoader>();
builder.Services.AddSettlementMapProblemDetails().AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
});

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMapPageFiles(paths);
app.MapOpenApi();
app.MapLayersApi();
app.MapSettlementsApi();
app.MapSearchApi();
app.MapMapPageApi();

await app.InitialiseDatabaseAsync();
app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"SettlementMap is running: open {string.Join(", ", app.Urls)} (Ctrl-C stops it)"));
return await app.RunSettlementMapAsync();
