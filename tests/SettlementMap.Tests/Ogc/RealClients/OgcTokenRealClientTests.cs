using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;

namespace SettlementMap.Tests.Ogc.RealClients;

/// <summary>
/// GDAL, as researchers run it, against the default who-sees-what settings (generalisation on): anonymously it
/// opens the settlements (outlines and the public view's points) without the restricted attribute; with a
/// personal access token (GDAL_HTTP_HEADERS="Authorization: Bearer …") it reads that attribute's value.
/// </summary>
public sealed class OgcTokenRealClientTests(AppFixture app) : IClassFixture<AppFixture>
{
    [RealClientFact(GdalFactAttribute.OgrInfo, "gdal-bin")]
    public async Task GDAL_reads_the_restricted_attribute_with_a_token_and_not_without()
    {
        RealClientFactAttribute.Require(GdalFactAttribute.OgrInfo, "gdal-bin");
        // Kestrel first: the fixture's database context would otherwise start the in-memory server.
        var landing = new Uri(app.Factory.StartKestrel(), "/ogc").ToString();
        var marked = await Restricted.SetUpAsync(app);
        await using var db = app.CreateContext();
        var code = await db.Settlements.Where(s => s.Id == marked.OwnId).Select(s => s.Code).SingleAsync();
        var count = await db.Settlements.CountAsync();
        var token = await Editing.Edits.TokenAsync(app, "admin");
        var withToken = new Dictionary<string, string> { ["GDAL_HTTP_HEADERS"] = "Authorization: Bearer " + token };
        var anonymous = new Dictionary<string, string>();

        foreach (var (environment, signedIn) in new[] { (anonymous, false), (withToken, true) })
        {
            var (exit, summary) = await ClientProcess.RunAsync(environment, GdalFactAttribute.OgrInfo, "-ro", "-so", $"OAPIF:{landing}", "settlements");
            Assert.True(exit == 0, summary);
            Assert.Contains($"Feature Count: {count}", summary, StringComparison.Ordinal);
            Assert.Equal(signedIn, summary.Contains($"{Restricted.Name}: String", StringComparison.Ordinal));
            Assert.Equal(signedIn, summary.Contains("eviction_threat: String", StringComparison.Ordinal));
            var (featureExit, feature) = await ClientProcess.RunAsync(environment, GdalFactAttribute.OgrInfo, "-ro", $"OAPIF:{landing}", "settlements", "-where", $"code = '{code}'");
            Assert.True(featureExit == 0, feature);
            Assert.Contains($"code (String) = {code}", feature, StringComparison.Ordinal);
            Assert.Equal(signedIn, feature.Contains($"{Restricted.Name} (String) = {Restricted.OwnValue}", StringComparison.Ordinal));
            Assert.DoesNotContain(Restricted.OtherValue, feature, StringComparison.Ordinal);
        }

        // Every feature anonymously, through the pages: outlines and the generalised settlements' points alike.
        var file = Path.Combine(Path.GetTempPath(), $"oapif-public-{Guid.NewGuid():N}.gpkg");
        try
        {
            var (copyExit, copy) = await ClientProcess.RunAsync(GdalFactAttribute.Ogr2Ogr, "-f", "GPKG", file, $"OAPIF:{landing}", "settlements", "-oo", "PAGE_SIZE=500");
            Assert.True(copyExit == 0, copy);
            var (readExit, read) = await ClientProcess.RunAsync(GdalFactAttribute.OgrInfo, "-ro", file, "-sql", "SELECT ST_GeometryType(geom) AS t, count(*) AS n FROM settlements GROUP BY t ORDER BY t", "-dialect", "SQLite");
            Assert.True(readExit == 0, read);
            Assert.Contains("t (String) = MULTIPOLYGON", read, StringComparison.Ordinal);
            Assert.Contains("t (String) = POINT", read, StringComparison.Ordinal);
            Assert.DoesNotContain(Restricted.Name, read, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
