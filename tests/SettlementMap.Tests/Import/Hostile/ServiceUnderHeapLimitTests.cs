using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SettlementMap.Tests.Editing;
using SettlementMap.Tests.Import.Fixtures;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using SettlementMap.Web.Http;
using Xunit.Abstractions;

namespace SettlementMap.Tests.Import.Hostile;

/// <summary>
/// The service as a separate process under a hard GC heap limit of 1 GB (DOTNET_GCHeapHardLimit =
/// 0x40000000), on the test PostGIS: an administrator posts the probe's hostile files and a few
/// hundred fuzzed files of every format to POST /api/imports; every answer is a 2xx or a 4xx with
/// problem+json, never a 5xx, and the process still answers afterwards. 200 fuzzed files a format
/// by default; SETTLEMENTMAP_HEAP_FUZZ_CASES sets the number. The command line gets the same files.
/// </summary>
public sealed class ServiceUnderHeapLimitTests(DemoDatabaseFixture database, ITestOutputHelper output) : IClassFixture<DemoDatabaseFixture>, IDisposable
{
    public const string HeapLimit = "0x40000000";

    private readonly string _folder = ImportFixtures.NewFolder();

    private static int CasesPerFormat => int.TryParse(Environment.GetEnvironmentVariable("SETTLEMENTMAP_HEAP_FUZZ_CASES"), CultureInfo.InvariantCulture, out var cases) ? cases : 200;

    [Fact]
    public async Task The_service_answers_every_hostile_upload_with_a_4xx_problem_and_survives_under_a_1_GB_heap()
    {
        var seeds = HostileFiles.Seeds(_folder);
        using var service = await ServiceProcess.StartAsync(database.ConnectionString, new Dictionary<string, string>());
        using var client = await service.AdministratorAsync();
        output.WriteLine($"service pid {service.Process.Id}, heap limit {HeapLimit}, RSS {service.RssMegabytes("VmRSS")} MB after sign-in");

        var failures = new List<string>();
        foreach (var file in HostileFiles.Named(seeds))
        {
            var clock = Stopwatch.StartNew();
            var (status, problem) = await PostAsync(client, file, failures);
            output.WriteLine($"{file}: {(int)status} in {clock.ElapsedMilliseconds} ms, peak RSS so far {service.RssMegabytes("VmHWM")} MB: {problem}");
            if ((int)status != 422)
            {
                failures.Add($"{file}: {(int)status}, expected 422");
            }
        }

        foreach (var name in new[] { "..", ".", "a.csv/..", "a.csv%00", "dir/a.csv", new string('a', 300) + ".csv" })
        {
            using var body = new ByteArrayContent(seeds["csv"]);
            using var response = await client.PostAsync(new Uri($"/api/imports?file_name={name}", UriKind.Relative), body);
            if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"file_name={name[..Math.Min(name.Length, 20)]}: {(int)response.StatusCode} {response.Content.Headers.ContentType}");
            }
        }

        var answers = new Dictionary<int, int>();
        var total = 0;
        foreach (var format in HostileFiles.Formats)
        {
            foreach (var file in HostileFiles.Fuzzed(format, seeds[format], CasesPerFormat, ReaderFuzzTests.Seed + 7 * format.Length, _folder))
            {
                var (status, _) = await PostAsync(client, file, failures);
                answers[(int)status] = answers.GetValueOrDefault((int)status) + 1;
                total++;
                if (service.Process.HasExited)
                {
                    failures.Add($"the service exited (code {service.Process.ExitCode}) after {format} {file}");
                    break;
                }
            }
        }

        output.WriteLine($"{total} fuzzed uploads: {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Value} × {a.Key}"))}; peak RSS {service.RssMegabytes("VmHWM")} MB");
        Assert.False(service.Process.HasExited, "the service died:\n" + service.Log);
        using var config = await client.GetAsync(new Uri("/api/config", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)) + "\n--- service log ---\n" + service.Log);
    }

    [Fact]
    public async Task The_command_line_refuses_the_100_million_point_shapefile_in_one_line_and_a_time_budget_overrun_too()
    {
        var seeds = HostileFiles.Seeds(_folder);
        var points = HostileFiles.HundredMillionPoints(seeds["zip"]);
        var pointsPath = Path.Combine(_folder, points.Name);
        await File.WriteAllBytesAsync(pointsPath, points.Bytes);

        var (exit, error) = await ServiceProcess.RunCommandAsync(database.ConnectionString, new Dictionary<string, string>(), "import", pointsPath);
        output.WriteLine($"exit {exit}: {error}");
        Assert.Equal(2, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("declares more parts or points than its", line, StringComparison.Ordinal);

        var valid = Path.Combine(_folder, "valid.geojson");
        await File.WriteAllBytesAsync(valid, seeds["geojson"]);
        var (slowExit, slow) = await ServiceProcess.RunCommandAsync(database.ConnectionString, new Dictionary<string, string> { ["Import__MaxSeconds"] = "0" }, "import", valid);
        output.WriteLine($"exit {slowExit}: {slow}");
        Assert.Equal(2, slowExit);
        Assert.Contains("The import exceeds its time limit. valid.geojson: Importing valid.geojson took longer than the 0 s", slow, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Problem)> PostAsync(HttpClient client, HostileFile file, List<string> failures)
    {
        using var body = new ByteArrayContent(file.Bytes);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsync(new Uri($"/api/imports?file_name={Uri.EscapeDataString(file.Name)}", UriKind.Relative), body);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            failures.Add($"{file}: no answer ({exception.GetType().Name}: {exception.Message})");
            return (0, "");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var problem = "";
            if (status >= 500 || status is < 200 or (>= 300 and < 400))
            {
                failures.Add($"{file}: {status} {text}");
            }
            else if (status >= 400)
            {
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{file}: {status} without problem+json ({response.Content.Headers.ContentType})");
                }
                else
                {
                    using var json = JsonDocument.Parse(text);
                    problem = $"{json.RootElement.GetProperty("title").GetString()} {(json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : "")}";
                    if (json.RootElement.GetProperty("title").GetString() == ClientRateLimits.RejectionTitle)
                    {
                        failures.Add($"{file}: refused by a per-client rate limit, so the importer never saw it");
                    }
                }
            }

            return (response.StatusCode, problem);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

/// <summary>The built SettlementMap.Web.dll run by `dotnet` as its own process under the heap limit, on a test database.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly StringBuilder _log = new();

    private ServiceProcess(Process process, Uri address)
    {
        Process = process;
        Address = address;
    }

    public Process Process { get; }

    public Uri Address { get; }

    /// <summary>The last part of what the service wrote (for a failure's message).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                var text = _log.ToString();
                return text.Length > 8000 ? text[^8000..] : text;
            }
        }
    }

    private static ProcessStartInfo StartInfo(string connectionString, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            // The app's own folder: its appsettings.json are read from the content root.
            WorkingDirectory = Path.Combine(PostgisServer.Paths.Root, "src", "SettlementMap.Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // SETTLEMENTMAP_SERVICE_DLL runs another build (e.g. an older commit's, to see these tests fail there).
        start.ArgumentList.Add(Environment.GetEnvironmentVariable("SETTLEMENTMAP_SERVICE_DLL") is { Length: > 0 } other ? other : typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_GCHeapHardLimit"] = ServiceUnderHeapLimitTests.HeapLimit;
        start.Environment["ConnectionStrings__SettlementMap"] = connectionString;
        start.Environment["Demo__Load"] = "false";
        start.Environment["Map__BaseLayer__Url"] = "";
        foreach (var (key, value) in SettlementMapFactory.SuiteSettings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    public static async Task<ServiceProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var process = Process.Start(StartInfo(connectionString, settings, "--urls", address.ToString()))!;
        var service = new ServiceProcess(process, address);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            Assert.False(process.HasExited, "the service did not start:\n" + service.Log);
            try
            {
                using var response = await client.GetAsync(new Uri("/api/config", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        service.Dispose();
        throw new TimeoutException("the service did not answer /api/config within 90 s:\n" + service.Log);
    }

    /// <summary>Runs a command of the app (`import FILE …`) to its end: exit code and standard error.</summary>
    public static async Task<(int ExitCode, string Error)> RunCommandAsync(string connectionString, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(connectionString, settings, arguments))!;
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        await standardOutput;
        return (process.ExitCode, await standardError);
    }

    /// <summary>An HttpClient signed in as the demo administrator with a cookie, sending the antiforgery token.</summary>
    public async Task<HttpClient> AdministratorAsync()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(3) };
        client.DefaultRequestHeaders.Add(Authentication.AntiforgeryHeader, await Edits.SignInWithCookieAsync(client, Edits.Admin, Edits.AdminPassword));
        return client;
    }

    /// <summary>VmRSS (now) or VmHWM (peak) of the process, in MB, from /proc.</summary>
    public long RssMegabytes(string field)
    {
        var line = File.ReadLines($"/proc/{Process.Id.ToString(CultureInfo.InvariantCulture)}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
            if (_log.Length > 64_000)
            {
                _log.Remove(0, 32_000);
            }
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(10_000);
        }

        Process.Dispose();
    }
}
