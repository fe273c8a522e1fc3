using System.Text.Json;
using NetTopologySuite.IO.Converters;

namespace SettlementMap.Web.Data.Demo;

/// <summary>The files of the demo data set: inputs under data/sources, built output under data/demo.</summary>
public sealed record DemoFiles(ProjectPaths Paths)
{
    public string MunicipalityList => Path.Combine(Paths.Data, "sources", "municipalities.csv");
    public string DistrictList => Path.Combine(Paths.Data, "sources", "districts.csv");
    public string Seats => Path.Combine(Paths.Data, "sources", "generated", "seats.csv");
    public string SerbiaOutline => Path.Combine(Paths.Data, "sources", "generated", "serbia-outline.geojson");
    public string Programmes => Path.Combine(Paths.Data, "sources", "programmes.csv");
    public string ProgrammeMembers => Path.Combine(Paths.Data, "sources", "programme-members.csv");

    public string Districts => Path.Combine(Paths.Data, "demo", "districts.csv");
    public string Municipalities => Path.Combine(Paths.Data, "demo", "municipalities.geojson");
    public string Settlements => Path.Combine(Paths.Data, "demo", "settlements.geojson");
    public string Coverage => Path.Combine(Paths.Data, "demo", "coverage.csv");

    public static JsonSerializerOptions GeoJsonOptions { get; } = new() { Converters = { new GeoJsonConverterFactory() } };

    /// <summary>Reads a small comma-separated file of ours (no quoting) into rows keyed by header.</summary>
    public static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        return lines.Skip(1).Select((line, index) =>
        {
            var cells = line.Split(',');
            if (cells.Length != header.Length)
            {
                throw new InvalidDataException($"{path}:{index + 2}: {cells.Length} cells, expected {header.Length}.");
            }
            return header.Zip(cells).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        }).ToList();
    }
}
