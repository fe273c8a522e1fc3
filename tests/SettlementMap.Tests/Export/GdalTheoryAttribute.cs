using SettlementMap.Tests.Ogc;

namespace SettlementMap.Tests.Export;

/// <summary>A theory that needs GDAL's command-line tools; skipped as <see cref="GdalFactAttribute"/> is where gdal-bin is missing.</summary>
public sealed class GdalTheoryAttribute : TheoryAttribute
{
    public GdalTheoryAttribute() => Skip = new GdalFactAttribute().Skip;
}
