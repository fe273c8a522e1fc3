namespace SettlementMap.Web.Geo.Crs;

/// <summary>
/// The .prj text of each CRS we export, in the ESRI flavour of WKT 1 that shapefile readers expect:
/// what GDAL 3.6 writes for the EPSG code (<c>gdalsrsinfo -o wkt_esri</c>). Not PostGIS's OGC WKT: GDAL
/// reads a .prj as ESRI WKT, and the OGC WKT of EPSG:3909 (AUTHORITY 3909 with TOWGS84) comes out of
/// GDAL 3.6 / PROJ 9.1 some 30° off when reprojected. Without TOWGS84, PROJ picks the same
/// transformation for these as for the EPSG codes (EPSG:9486 for MGI 1901 in Serbia).
/// </summary>
public static class EsriPrj
{
    private const string GcsWgs84 = """GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";

    public static string For(int epsg) => epsg switch
    {
        4326 => GcsWgs84,
        3857 => $"""PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",{GcsWgs84},PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]""",
        32634 => $"""PROJCS["WGS_1984_UTM_Zone_34N",{GcsWgs84},PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",21.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""",
        3909 => """PROJCS["MGI_1901_Balkans_zone_7",GEOGCS["GCS_MGI_1901",DATUM["D_MGI_1901",SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",7500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",21.0],PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""",
        8682 => """PROJCS["SRB_ETRS89_UTM_zone_34N",GEOGCS["GCS_SRB_ETRS89",DATUM["Serbian_Spatial_Reference_System_2000",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",21.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""",
        _ => throw new ArgumentOutOfRangeException(nameof(epsg), epsg, "No .prj for this CRS: add GDAL's ESRI WKT for it."),
    };
}
