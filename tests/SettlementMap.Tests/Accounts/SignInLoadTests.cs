using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using Xunit.Abstractions;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Accounts;

/// <summary>
/// Many right passwords at once: the password checks queue (a few at a time) instead of starving the
/// threads that database reads need, and past the queue the answer is 503 with Retry-After, never a 500.
/// </summary>
public sealed class SignInLoadTests(AppFixture app, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    /// <summary>
    /// The probe sent 2,000 through the default pool of 100 connections and got 7 × 500. PBKDF2 costs tens
    /// of ms of a core a check, so 2,000 take minutes on two shared cores: the test sends two waves of 64
    /// through a pool of 8 connections that a request waits at most 2 s for, the same starvation sooner
    /// (the code before the gate: 78 × 500 of these 128).
    /// </summary>
    private const int SignIns = 128;

    [Fact]
    public async Task Right_passwords_64_at_once_are_all_accepted_or_told_when_to_retry_never_a_500()
    {
        await using var instance = SignInInstances.Start(app, TimeProvider.System, new Dictionary<string, string>
        {
            ["ConnectionStrings:SettlementMap"] = app.ConnectionString + ";Maximum Pool Size=8;Timeout=2",
        });
        string[] accounts;
        await using (var db = app.CreateContext())
        {
            accounts = [.. await db.Users.Where(u => u.UserName.StartsWith("coord-")).OrderBy(u => u.UserName).Select(u => u.UserName).ToListAsync()];
        }
        var answers = new ConcurrentBag<(HttpStatusCode Status, TimeSpan? RetryAfter)>();
        var next = -1;
        var watch = Stopwatch.StartNew();

        // 64 pages, each at an address of its own, each signing in with a fresh session again and again.
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async page =>
        {
            for (var signIn = Interlocked.Increment(ref next); signIn < SignIns; signIn = Interlocked.Increment(ref next))
            {
                using var response = await SignInInstances.SignInFromAsync(
                    instance, $"10.64.{page}.1", accounts[signIn % accounts.Length], CoordinatorPassword);
                answers.Add((response.StatusCode, response.Headers.RetryAfter?.Delta));
            }
        }));

        var counts = answers.GroupBy(a => (int)a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} × {g.Key}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{SignIns} sign-ins, 64 at once: {string.Join(", ", counts)} in {watch.Elapsed.TotalSeconds:F1} s"));
        Assert.Equal(SignIns, answers.Count);
        Assert.All(answers, a => Assert.True(
            a.Status == HttpStatusCode.OK || (a.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && a.RetryAfter is not null),
            $"{(int)a.Status}"));
        Assert.True(answers.Count(a => a.Status == HttpStatusCode.OK) >= SignIns / 2);
    }

    [Fact]
    public async Task Beyond_the_hash_queue_a_sign_in_gets_503_with_Retry_After_and_does_not_count_as_a_failure()
    {
        await using var instance = SignInInstances.Start(app, new TestClock(), new Dictionary<string, string>
        {
            [PasswordHashGate.ConcurrencySetting] = "1",
            [PasswordHashGate.QueueSetting] = "0",
        });
        var pages = await Task.WhenAll(Enumerable.Range(0, 16).Select(page => SignInInstances.ClientAsync(instance, $"10.65.0.{page + 1}")));

        var responses = await Task.WhenAll(pages.Select(page => SignInAsync(page.Client, page.Csrf, Admin, AdminPassword)));

        var busy = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.All(busy, r =>
        {
            Assert.NotNull(r.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        });
        // Neither the refused attempts nor the accepted ones count as failures.
        await using (var db = app.CreateContext())
        {
            var failures = await db.Database.SqlQuery<double>(
                $"SELECT coalesce(sum(failures), 0) AS \"Value\" FROM sign_in_throttle WHERE key LIKE '%10.65.0.%' OR key = 'account:admin'").SingleAsync();
            Assert.Equal(0, failures);
        }
        foreach (var (response, page) in responses.Zip(pages))
        {
            response.Dispose();
            page.Client.Dispose();
        }
    }
}
