using Microsoft.Extensions.DependencyInjection;
using System.Net;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Import;

/// <summary>The app with a 1 MB upload limit, so a test can exceed it cheaply.</summary>
public sealed class SmallUploadFixture(IMessageSink messageSink) : IAsyncLifetime
{
    public AppFixture App { get; } = new(messageSink, new Dictionary<string, string> { ["Import:MaxUploadMegabytes"] = "1" });

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>An upload over the limit is refused with 413 and leaves nothing behind.</summary>
public sealed class UploadLimitTests(SmallUploadFixture fixture) : IClassFixture<SmallUploadFixture>
{
    [Fact]
    public async Task An_upload_over_the_limit_gets_413_and_no_import_is_recorded()
    {
        var app = fixture.App;
        using var admin = await Edits.ClientAsync(app, Edits.Admin);
        var big = new byte[(1024 * 1024) + 10];
        Array.Fill(big, (byte)' ');

        var answer = await ImportSteps.UploadAsync(admin, "big.geojson", big);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Contains("1 MB", answer.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using var db = app.CreateContext();
        Assert.Equal(0, db.Imports.Count());
        var uploads = app.Factory.Services.GetRequiredService<SettlementMap.Web.Features.Import.ImportUploads>().Root;
        Assert.Empty(Directory.Exists(uploads) ? Directory.EnumerateFiles(uploads, "big.geojson", SearchOption.AllDirectories) : []);
    }
}
