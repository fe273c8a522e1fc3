using System.Text.Json;
using System.Text.Json.Serialization;
using SettlementMap.Web;
using SettlementMap.Web.Data.Demo;
using SettlementMap.Web.Data.Scale;
using SettlementMap.Web.Database;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Features.Export;
using SettlementMap.Web.Features.History;
using SettlementMap.Web.Features.Import;
using SettlementMap.Web.Features.Layers;
using SettlementMap.Web.Features.MapPage;
using SettlementMap.Web.Features.Measures;
using SettlementMap.Web.Features.Offline;
using SettlementMap.Web.Features.Ogc;
using SettlementMap.Web.Features.Coverage;
using SettlementMap.Web.Features.Reports;
using SettlementMap.Web.Features.Sensitivity;
using SettlementMap.Web.Features.Settlements;
using SettlementMap.Web.Features.Tiles;
using SettlementMap.Web.Http;

if (args is ["healthcheck", ..])
{
    return await Health.ProbeAsync(args[1..]);
}
var paths = ProjectPaths.Find();
if (args is ["build-demo-data", ..])
{
    await DemoCommands.BuildDemoDataAsync(paths);
    return 0;
}
if (args is ["users", ..])
{
    return await UsersCommand.RunAsync(paths, args[1..]);
}
if (args is ["generate-scale", ..])
{
    return await ScaleCommand.RunAsync(paths, args[1..]);
}
if (args is ["import", ..])
{
    return await ImportCommand.RunAsync(paths, args[1..]);
}


var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = paths.WebRoot });
builder.WebHost.ConfigureKestrel(RequestGuard.ConfigureLimits);
await builder.AddSettlementMapDatabaseAsync(paths);
builder.Services.AddSharedDataProtection().AddSingleton<ImportUploads>();
builder.Services.AddSingleton(paths).AddSingleton<DemoFiles>().AddScoped<DemoDataLoader>();
builder.Services.AddSingleton<ResponseCache>().AddSingleton<DisclosurePolicies>().AddMapQueryLimiter(builder.Configuration).AddClientRateLimits(builder.Configuration);
builder.Services.AddSettlementMapProblemDetails().AddOpenApi().AddSettlementMapAuthentication();
builder.Services.AddHeadRequests().AddRequestGuard().AddSettlementMapHealthChecks();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
});

var app = builder.Build();
app.UseSecurityHeaders(app.Configuration[MapPageApi.BaseLayerUrlSetting]);
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestGuard();
app.UseReadYourWrites();
app.UseMapPageFiles(paths);
app.UseAuthentication();
app.UseAuthorization();
app.UseLayerResponseCache();
app.UseRateLimiter();
// One fixed address: the library's {documentName} pattern answers other names with a plain-text 404.
app.MapOpenApi("/openapi/v1.json");
app.MapHealthApi();
app.MapLayersApi();
app.MapSettlementsApi();
app.MapSearchApi();
app.MapMapPageApi();
app.MapAuthApi();
app.MapUsersApi();
app.MapEditingApi();
app.MapCoverageApi();
app.MapReportApi();
app.MapIndicatorsApi();
app.MapOgcApi();
app.MapExportApi();
app.MapTilesApi();
app.MapImportApi();
app.MapSensitivityApi();
app.MapChangesApi();
app.MapFreshnessApi();
app.MapOfflineApi();
app.MapMeasuresApi();

await app.InitialiseDatabaseAsync();
app.Lifetime.ApplicationStarted.Register(() =>
{
    if (app.Configuration.GetValue("Demo:Load", true))
    {
        Console.WriteLine(DemoAccounts.Describe());
    }
    Console.WriteLine($"SettlementMap is running: open {string.Join(", ", app.Urls)} (Ctrl-C stops it)");
});
return await app.RunSettlementMapAsync();
