using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web;

namespace SettlementMap.Tests.Import;

/// <summary>The sample in data/samples does what its README promises, on a fresh copy of the demo data.</summary>
public sealed class SampleImportTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_sample_shapefile_has_exactly_six_bad_rows_loads_four_and_reimports_unchanged()
    {
        var paths = app.Factory.Services.GetRequiredService<ProjectPaths>();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(paths.Data, "samples", "naselja_nis_3909.zip"));
        using var admin = await Edits.ClientAsync(app, Edits.Admin);

        var dryRun = await ImportSteps.UploadAsync(admin, "naselja_nis_3909.zip", bytes);
        Assert.Equal(HttpStatusCode.Created, dryRun.Status);
        Assert.Equal([3L, 4L, 5L, 6L, 8L, 10L], dryRun.BadRows);
        var applied = await ImportSteps.ApplyAsync(admin, dryRun.Id, skipBadRows: true);
        Assert.Equal(4, applied.Number("created"));

        var again = await ImportSteps.UploadAsync(admin, "naselja_nis_3909.zip", bytes);
        Assert.Equal(4, again.Number("unchanged"));
        Assert.Equal(0, again.Number("created") + again.Number("updated"));
    }
}
