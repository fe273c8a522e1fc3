using System.Collections.Concurrent;

namespace SettlementMap.Web.Features.Editing;

/// <summary>
/// Counts failed sign-ins per user name and per client address in a sliding window; past the
/// limit, sign-in is refused for that name or address until old failures age out. Unknown names
/// count like known ones, so the throttle says nothing about which accounts exist.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int MaxFailuresPerName = 5;
    public const int MaxFailuresPerAddress = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long this name or address must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string userName, string address)
    {
        var now = clock.GetUtcNow();
        var wait = new[] { Wait("name:" + userName, MaxFailuresPerName, now), Wait("addr:" + address, MaxFailuresPerAddress, now) }.Max();
        return wait > TimeSpan.Zero ? wait : null;
    }

    public void Failed(string userName, string address)
    {
        var now = clock.GetUtcNow();
        Add("name:" + userName, now);
        Add("addr:" + address, now);
    }

    public void Succeeded(string userName) => _failures.TryRemove("name:" + userName, out _);

    private void Add(string key, DateTimeOffset now)
    {
        if (_failures.Count > MaxTrackedKeys)
        {
            ForgetExpired(now);
        }
        var queue = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            Prune(queue, now);
            queue.Enqueue(now);
        }
    }

    private TimeSpan Wait(string key, int limit, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var queue))
        {
            return TimeSpan.Zero;
        }
        lock (queue)
        {
            Prune(queue, now);
            // Blocked until the oldest failure that keeps the count at the limit leaves the window.
            return queue.Count < limit ? TimeSpan.Zero : queue.ElementAt(queue.Count - limit) + Window - now;
        }
    }

    /// <summary>Many distinct names (a spraying attacker) must not grow memory without bound.</summary>
    private void ForgetExpired(DateTimeOffset now)
    {
        foreach (var (key, queue) in _failures)
        {
            lock (queue)
            {
                Prune(queue, now);
                if (queue.Count == 0)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
    }

    private const int MaxTrackedKeys = 100_000;

    private static void Prune(Queue<DateTimeOffset> queue, DateTimeOffset now)
    {
        while (queue.Count > 0 && queue.Peek() + Window <= now)
        {
            queue.Dequeue();
        }
    }
}
