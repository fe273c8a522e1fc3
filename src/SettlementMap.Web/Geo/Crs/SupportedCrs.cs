namespace SettlementMap.Web.Geo.Crs;

/// <summary>A CRS we serve: its OGC URI, EPSG code (null for CRS84), name, and whether its first axis is latitude/northing (EPSG:4326 is lat,lon; CRS84 is lon,lat).</summary>
public sealed record SupportedCrs(string Uri, int? Epsg, string Name, bool FirstAxisIsNorthing);
