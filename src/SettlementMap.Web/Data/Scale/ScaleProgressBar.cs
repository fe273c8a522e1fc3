using System.Globalization;

namespace SettlementMap.Web.Data.Scale;

/// <summary>
/// A one-line progress bar, redrawn in place with '\r' at most ten times a second:
/// <c>[#########-----------]  45,000 / 100,000  12,300/s  eta 4 s</c>.
/// </summary>
public sealed class ScaleProgressBar(TextWriter writer, long total, TimeProvider? time = null)
{
    private const int Width = 20;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _start;
    private long _lastDrawn;
    private int _lastLength;
    private bool _started;
    private bool _finished;

    /// <summary>Redraws, at most ten times a second; the clock starts at the first report, the line ends at the last.</summary>
    public void Report(long done)
    {
        if (_finished)
        {
            return;
        }
        var now = _time.GetTimestamp();
        if (!_started)
        {
            _started = true;
            _start = now;
        }
        else if (done < total && _time.GetElapsedTime(_lastDrawn, now) < TimeSpan.FromSeconds(0.1))
        {
            return;
        }
        _lastDrawn = now;
        Draw(done, _time.GetElapsedTime(_start, now));
        if (done >= total)
        {
            _finished = true;
            writer.WriteLine();
            writer.Flush();
        }
    }

    public static string Format(long done, long total, TimeSpan elapsed)
    {
        var fraction = total <= 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)Math.Floor(fraction * Width);
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var eta = rate > 0 ? (total - done) / rate : double.NaN;
        var c = CultureInfo.InvariantCulture;
        return string.Create(c,
            $"[{new string('#', filled)}{new string('-', Width - filled)}]  {done:N0} / {total:N0}  {rate:N0}/s  eta {(double.IsNaN(eta) ? "?" : Math.Ceiling(eta).ToString("N0", c))} s");
    }

    private void Draw(long done, TimeSpan elapsed)
    {
        var text = Format(done, total, elapsed);
        // Blank out what a longer previous line left behind.
        writer.Write('\r' + text.PadRight(_lastLength));
        writer.Flush();
        _lastLength = text.Length;
    }
}
