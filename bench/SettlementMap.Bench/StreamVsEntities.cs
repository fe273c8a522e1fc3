using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Features;
using Npgsql;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Layers;
using SettlementMap.Web.Http;

namespace SettlementMap.Bench;

/// <summary>
/// The full settlements layer two ways, in one process, to a counting null stream:
/// (i) the endpoint's own path — LayerSql's SQL (PostGIS renders each Feature) through
/// GeoJsonFeaturesResult, the IResult the endpoint returns; (ii) EF Core entities with their
/// municipality and district (AsNoTracking, Include) turned into NetTopologySuite Features with the
/// same 25 properties and serialised by GeoJSON4STJ with the app's options (GeoJson.ApiOptions).
/// Runs alternate (A B A B …) after one warm-up of each, so drift of the machine hits both alike.
/// </summary>
public static class StreamVsEntities
{
    public static async Task<int> RunAsync(string connectionString, string label, int runs, string directory)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        await using var dataSource = builder.Build();
        var options = new DbContextOptionsBuilder<SettlementMapDbContext>().UseNpgsql(dataSource, o => o.UseNetTopologySuite()).Options;
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();

        async Task<long> Stream()
        {
            var (sql, parameters) = LayerSql.Settlements(LayerQuery.NoFilter);
            var body = new CountingStream();
            var context = new DefaultHttpContext { RequestServices = services };
            context.Response.Body = body;
            await new GeoJsonFeaturesResult(dataSource, sql, parameters).ExecuteAsync(context);
            return body.Length;
        }

        async Task<long> Entities()
        {
            await using var db = new SettlementMapDbContext(options);
            var settlements = await db.Settlements.AsNoTracking()
                .Include(s => s.Municipality!).ThenInclude(m => m.District)
                .OrderBy(s => s.Id)
                .ToListAsync();
            var collection = new FeatureCollection();
            foreach (var s in settlements)
            {
                collection.Add(new Feature(s.Geom, LayerProperties(s)));
            }
            var body = new CountingStream();
            await JsonSerializer.SerializeAsync(body, collection, GeoJson.ApiOptions);
            return body.Length;
        }

        var streamBytes = await Stream();
        var entityBytes = await Entities();
        for (var run = 0; run < runs; run++)
        {
            await Measure(directory, $"{label}.stream", Stream);
            await Measure(directory, $"{label}.entities", Entities);
        }
        Figures.Add(directory, $"{label}.stream.bytes", streamBytes);
        Figures.Add(directory, $"{label}.entities.bytes", entityBytes);
        Console.WriteLine($"{label}: streamed {streamBytes / 1e6:0.0} MB, entities {entityBytes / 1e6:0.0} MB, {runs} runs each");
        return 0;
    }

    private static async Task Measure(string directory, string key, Func<Task<long>> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await action();
        watch.Stop();
        process.Refresh();
        Figures.Add(directory, key + ".ms", watch.Elapsed.TotalMilliseconds);
        Figures.Add(directory, key + ".cpu_ms", (process.TotalProcessorTime - cpu).TotalMilliseconds);
        Figures.Add(directory, key + ".allocated_mb", (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0);
    }

    /// <summary>
    /// The 25 properties the layer's SQL gives each Feature (LayerSql's SettlementFeature), from the
    /// entity. Not SettlementProperties.From: that is every attribute (about 55) for one settlement's
    /// details, and would make this side write twice the properties the layer does.
    /// </summary>
    private static AttributesTable LayerProperties(Settlement s)
    {
        var m = s.Municipality!;
        return new AttributesTable
        {
            { "id", s.Id },
            { "code", s.Code },
            { "name_latn", s.NameLatn },
            { "name_cyrl", s.NameCyrl },
            { "municipality_code", m.Code },
            { "municipality_name_latn", m.NameLatn },
            { "municipality_name_cyrl", m.NameCyrl },
            { "district_code", m.District!.Code },
            { "settlement_type", EnumText.ToText(s.SettlementType) },
            { "location_class", EnumText.ToText(s.LocationClass) },
            { "estimated_inhabitants", s.EstimatedInhabitants },
            { "households", s.Households },
            { "main_building_material", EnumText.ToText(s.MainBuildingMaterial) },
            { "substandard_share_pct", s.SubstandardSharePct },
            { "legal_status", EnumText.ToText(s.LegalStatus) },
            { "water_supply", EnumText.ToText(s.WaterSupply) },
            { "sewerage", EnumText.ToText(s.Sewerage) },
            { "electricity", EnumText.ToText(s.Electricity) },
            { "heating", EnumText.ToText(s.Heating) },
            { "distance_to_primary_school_m", s.DistanceToPrimarySchoolM },
            { "distance_to_health_centre_m", s.DistanceToHealthCentreM },
            { "flood_zone", EnumText.ToText(s.FloodZone) },
            { "hazard_nearby", EnumText.ToText(s.HazardNearby) },
            { "eviction_threat", EnumText.ToText(s.EvictionThreat) },
            { "source", s.Source },
        };
    }
}

/// <summary>A write-only stream that keeps nothing and counts the bytes (a response body sent nowhere).</summary>
public sealed class CountingStream : Stream
{
    private long _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => _length += count;

    public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _length += buffer.Length;
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _length += count;
        return Task.CompletedTask;
    }
}
