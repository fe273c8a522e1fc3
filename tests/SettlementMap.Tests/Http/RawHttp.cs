using System.Net.Sockets;
using System.Text;

namespace SettlementMap.Tests.Http;

/// <summary>HTTP/1.1 over a plain socket: the request target goes out byte for byte, as an attacker would send it.</summary>
public static class RawHttp
{
    public sealed record Answer(int Status, string Headers, string Body);

    public static async Task<Answer> GetAsync(Uri server, string target, string? host = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        var request = $"GET {target} HTTP/1.1\r\nHost: {host ?? server.Authority}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var buffer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(buffer);
        }
        catch (IOException)
        {
            // Kestrel may reset the connection after a refusal it sent in full.
        }
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return new Answer(status, head, split < 0 ? "" : text[(split + 4)..]);
    }
}
