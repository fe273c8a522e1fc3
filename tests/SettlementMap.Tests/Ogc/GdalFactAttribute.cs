namespace SettlementMap.Tests.Ogc;

/// <summary>A test that needs GDAL's command-line tools; skipped, saying why, where gdal-bin is not installed.</summary>
public sealed class GdalFactAttribute : FactAttribute
{
    public const string OgrInfo = "/usr/bin/ogrinfo";
    public const string Ogr2Ogr = "/usr/bin/ogr2ogr";

    public GdalFactAttribute()
    {
        if (!File.Exists(OgrInfo) || !File.Exists(Ogr2Ogr))
        {
            Skip = "GDAL is not installed (apt-get install gdal-bin; ./test.sh and .ci/run install it): the OAPIF client test needs ogrinfo and ogr2ogr.";
        }
    }
}
