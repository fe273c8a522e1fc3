using Microsoft.Extensions.Caching.Memory;

namespace SettlementMap.Web.Http;

/// <summary>
/// An in-memory copy of recent layer, summary and tile responses, keyed by their ETag
/// (<see cref="LayerETags.ETagAsync"/>: the layer tables' versions, the path and query). An edit
/// bumps the versions, so every later request has another ETag and a stale copy is never served;
/// old copies just age out. Bounded by total bytes; responses over <see cref="MaxEntryBytes"/>
/// (full layers, exports) are streamed as before and never held.
/// </summary>
public sealed class ResponseCache : IDisposable
{
    /// <summary>Configuration key of the bound in MiB; 0 turns the cache off (the benchmark's uncached run).</summary>
    public const string SizeLimitSetting = "ResponseCache:SizeLimitMiB";

    public const int DefaultSizeLimitMiB = 64;

    /// <summary>Only responses smaller than this are kept (a z8 tile is ~0.3 MB, a city-zoom bbox ~50 KB).</summary>
    public const int MaxEntryBytes = 2 * 1024 * 1024;

    private readonly MemoryCache? _cache;

    public ResponseCache(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var limitMiB = configuration.GetValue(SizeLimitSetting, DefaultSizeLimitMiB);
        if (limitMiB > 0)
        {
            // Over the limit, a compaction drops a quarter of the bytes, least recently used first.
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = limitMiB * 1024L * 1024L, CompactionPercentage = 0.25 });
        }
    }

    public bool Enabled => _cache is not null;

    /// <summary>A response as it went out: its media type and body.</summary>
    public sealed record Entry(string? ContentType, byte[] Body);

    public bool TryGet(string etag, out Entry? entry)
    {
        entry = null;
        return _cache is not null && _cache.TryGetValue(etag, out entry) && entry is not null;
    }

    public void Set(string etag, Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_cache is null || entry.Body.Length >= MaxEntryBytes)
        {
            return;
        }
        // Size: the body plus a rough allowance for the key, the entry and the media type.
        _cache.Set(etag, entry, new MemoryCacheEntryOptions { Size = entry.Body.Length + 256, SlidingExpiration = TimeSpan.FromMinutes(30) });
    }

    public void Dispose() => _cache?.Dispose();

    /// <summary>
    /// The middleware: for the endpoints marked <see cref="CachedLayerResponse"/>, looks the ETag up before the handler runs (the
    /// handler's own call of the same function reuses it, so no extra statement), answers
    /// a hit from memory (or 304), and on a miss copies the handler's 200 as it streams out.
    /// </summary>
    internal static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var cache = context.RequestServices.GetRequiredService<ResponseCache>();
        if (!cache.Enabled || !HttpMethods.IsGet(context.Request.Method)
            || context.GetEndpoint()?.Metadata.GetMetadata<CachedLayerResponse>() is not { } cached)
        {
            await next(context);
            return;
        }
        var etag = await cached.ETagAsync(context.Request, context.RequestAborted);
        if (cache.TryGet(etag, out var entry))
        {
            if (LayerETags.IsNotModified(context, etag))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = entry!.ContentType;
            context.Response.ContentLength = entry.Body.Length;
            await context.Response.Body.WriteAsync(entry.Body, context.RequestAborted);
            return;
        }

        var original = context.Response.Body;
        await using var copy = new CopyingStream(original, MaxEntryBytes);
        context.Response.Body = copy;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        if (context.Response.StatusCode == StatusCodes.Status200OK && copy.Complete && !context.RequestAborted.IsCancellationRequested
            && context.Response.Headers.ETag == etag)
        {
            cache.Set(etag, new Entry(context.Response.ContentType, copy.ToArray()));
        }
    }

    /// <summary>Writes through to the response and keeps a copy of up to <c>limit</c> bytes.</summary>
    private sealed class CopyingStream(Stream inner, int limit) : Stream
    {
        private MemoryStream? _copy = new();

        /// <summary>False once the response outgrew the limit (then nothing is kept).</summary>
        public bool Complete => _copy is not null;

        public byte[] ToArray() => _copy?.ToArray() ?? [];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (_copy is null)
            {
                return;
            }
            if (_copy.Length + bytes.Length >= limit)
            {
                _copy.Dispose();
                _copy = null;
                return;
            }
            _copy.Write(bytes);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _copy?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// Endpoint metadata: the endpoint's responses are made of <see cref="LayerETags.LayerTables"/> alone and
/// depend on nothing but the URL, so <see cref="ResponseCache"/> may keep them under the ETag its handler
/// gives (the same function: a tile's follows only the edits that reach it).
/// </summary>
public sealed record CachedLayerResponse(Func<HttpRequest, CancellationToken, Task<string>> ETagAsync);

public static class ResponseCacheExtensions
{
    /// <summary>Lets <see cref="ResponseCache"/> keep this endpoint's responses under <paramref name="etagAsync"/>, the ETag its handler sets.</summary>
    public static TBuilder CacheLayerResponse<TBuilder>(this TBuilder builder, Func<HttpRequest, CancellationToken, Task<string>> etagAsync)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new CachedLayerResponse(etagAsync));

    /// <summary>Serves repeated layer, summary and tile requests from <see cref="ResponseCache"/>; goes after routing (it reads the endpoint).</summary>
    public static IApplicationBuilder UseLayerResponseCache(this IApplicationBuilder app) => app.Use(ResponseCache.InvokeAsync);
}
