using System.Diagnostics;

namespace SettlementMap.Tests.Ogc.RealClients;

/// <summary>Runs a real client (ogrinfo, python3, Rscript) and returns its exit code with stdout and stderr.</summary>
internal static class ClientProcess
{
    /// <summary>Debian's Python: python3-qgis and python3-owslib live in its dist-packages, not in a pyenv one.</summary>
    public const string Python = "/usr/bin/python3";

    public static string Script(string name) => Path.Combine(Infrastructure.PostgisServer.Paths.Root, "tests", "SettlementMap.Tests", "Ogc", "RealClients", name);

    public static Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments) =>
        RunAsync(new Dictionary<string, string>(), file, arguments);

    /// <summary>As <see cref="RunAsync(string, string[])"/>, with <paramref name="environment"/> added (e.g. GDAL_HTTP_HEADERS).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["GDAL_HTTP_TIMEOUT"] = "60";
        start.Environment["QT_QPA_PLATFORM"] = "offscreen";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output + await error);
    }

    /// <summary>The client's stdout is one JSON line at the end (QGIS may log before it).</summary>
    public static System.Text.Json.JsonElement LastJsonLine(string output) =>
        System.Text.Json.JsonDocument.Parse(output.Split('\n').Last(l => l.StartsWith('{'))).RootElement.Clone();
}

/// <summary>
/// A test with a real client installed from Debian. A missing client fails the test (apt-get
/// install it; ./test.sh does) unless SETTLEMENTMAP_ALLOW_MISSING_CLIENTS=1 says to skip, or the
/// client is optional (R).
/// </summary>
public sealed class RealClientFactAttribute : FactAttribute
{
    public const string AllowMissing = "SETTLEMENTMAP_ALLOW_MISSING_CLIENTS";

    public RealClientFactAttribute(string marker, string package, bool optional = false)
    {
        if (!File.Exists(marker) && (optional || Environment.GetEnvironmentVariable(AllowMissing) == "1"))
        {
            Skip = $"{package} is not installed ({marker} is missing): apt-get install {package}" + (optional ? " (optional)." : $"; skipped because {AllowMissing}=1.");
        }
    }

    public static void Require(string marker, string package) =>
        Assert.True(File.Exists(marker), $"{package} is not installed ({marker} is missing): apt-get install {package} (./test.sh installs it), or set {AllowMissing}=1 to skip the real-client tests.");
}
