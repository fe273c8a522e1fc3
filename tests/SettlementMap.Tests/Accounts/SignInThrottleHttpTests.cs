using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Accounts;

/// <summary>
/// POST /api/auth/sign-in slows down an address that guesses, whatever the concurrency and whichever
/// instance of the app answers, without locking the account for anyone else. Each test starts its own
/// instances with a clock it moves, and uses addresses of its own.
/// (SignInThrottleTests drives the counting in PostgreSQL over hours of such a clock.)
/// </summary>
public sealed class SignInThrottleHttpTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static int Allowance => SignInThrottle.PerAddressAndAccount.Allowance;

    private static TimeSpan LongestWait => SignInThrottle.PerAddressAndAccount.MaxDelay;

    [Fact]
    public async Task Three_hundred_wrong_passwords_64_at_once_get_only_the_allowance_of_401s_the_rest_429_with_Retry_After()
    {
        var clock = new TestClock();
        await using var instance = SignInInstances.Start(app, clock);

        var answers = await RaceAsync(instance, "203.0.113.10", Admin, attempts: 300, concurrency: 64, attempt => $"wrong-password-{attempt}");

        Assert.Equal(Allowance, answers.Count(a => a.Status == HttpStatusCode.Unauthorized));
        var refused = answers.Where(a => a.Status != HttpStatusCode.Unauthorized).ToList();
        Assert.Equal(300 - Allowance, refused.Count);
        Assert.All(refused, a =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, a.Status);
            Assert.Equal("application/problem+json", a.MediaType);
            Assert.InRange(a.RetryAfter!.Value, TimeSpan.FromSeconds(1), LongestWait);
        });
    }

    [Fact]
    public async Task After_an_attack_the_right_password_is_accepted_at_once_from_elsewhere_and_within_a_minute_from_the_attackers_address()
    {
        var clock = new TestClock();
        await using var instance = SignInInstances.Start(app, clock);
        const string attacker = "203.0.113.20";
        for (var attempt = 0; attempt < 30; attempt++)
        {
            using var guess = await SignInInstances.SignInFromAsync(instance, attacker, CoordinatorNis, $"guess-{attempt}");
            Assert.Contains(guess.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests });
        }

        using (var elsewhere = await SignInInstances.SignInFromAsync(instance, "198.51.100.20", CoordinatorNis, CoordinatorPassword))
        {
            Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        }
        // Another account at the attacker's address (a colleague behind the same NAT) is not held up either.
        using (var colleague = await SignInInstances.SignInFromAsync(instance, attacker, "coord-zvezdara", CoordinatorPassword))
        {
            Assert.Equal(HttpStatusCode.OK, colleague.StatusCode);
        }
        // The owner at the attacker's address waits for the current delay, never more than a minute.
        using (var owner = await SignInInstances.SignInFromAsync(instance, attacker, CoordinatorNis, CoordinatorPassword))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, owner.StatusCode);
            var retryAfter = owner.Headers.RetryAfter!.Delta!.Value;
            Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), LongestWait);
            clock.Advance(retryAfter);
        }
        using (var ownerLater = await SignInInstances.SignInFromAsync(instance, attacker, CoordinatorNis, CoordinatorPassword))
        {
            Assert.Equal(HttpStatusCode.OK, ownerLater.StatusCode);
        }
    }

    [Fact]
    public async Task Two_instances_on_one_database_share_the_count()
    {
        var clock = new TestClock();
        await using var first = SignInInstances.Start(app, clock);
        await using var second = SignInInstances.Start(app, clock);
        const string attacker = "203.0.113.30";

        for (var attempt = 0; attempt < Allowance; attempt++)
        {
            using var guess = await SignInInstances.SignInFromAsync(attempt % 2 == 0 ? first : second, attacker, Admin, $"guess-{attempt}");
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        foreach (var instance in new[] { first, second })
        {
            using var refused = await SignInInstances.SignInFromAsync(instance, attacker, Admin, "one-more-guess");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }
    }

    [Fact]
    public async Task Unknown_and_impossible_user_names_are_throttled_like_known_ones()
    {
        var clock = new TestClock();
        await using var instance = SignInInstances.Start(app, clock);
        // A name with U+0000 never reaches a password check: the body's text rule refuses it by name (no guess is made, so nothing to count).
        using (var refused = await SignInInstances.SignInFromAsync(instance, "203.0.113.41", "a\0b", "some-password"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("user_name", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        foreach (var (name, address) in new[] { ("nobody-here", "203.0.113.40"), (new string('x', 3000), "203.0.113.42") })
        {
            for (var attempt = 0; attempt < Allowance; attempt++)
            {
                using var failed = await SignInInstances.SignInFromAsync(instance, address, name, "some-password");
                Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
            }
            // The name is normalised (trimmed, lower case) before it is counted.
            using var response = await SignInInstances.SignInFromAsync(instance, address, name.ToUpperInvariant() + " ", "some-password");
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
        }
    }

    [Fact]
    public async Task Addresses_of_one_IPv6_slash_64_count_as_one_address()
    {
        var clock = new TestClock();
        await using var instance = SignInInstances.Start(app, clock);
        // Spraying: one guess each at many names, so only the address's own count grows.
        for (var attempt = 0; attempt < SignInThrottle.PerAddress.Allowance; attempt++)
        {
            using var guess = await SignInInstances.SignInFromAsync(instance, $"2001:db8:7:7::{attempt + 1:x}", $"sprayed-{attempt}", "a-guess");
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        using (var sameNetwork = await SignInInstances.SignInFromAsync(instance, "2001:db8:7:7:ffff::1", "sprayed-next", "a-guess"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, sameNetwork.StatusCode);
        }
        using (var nextNetwork = await SignInInstances.SignInFromAsync(instance, "2001:db8:7:8::1", "sprayed-next", "a-guess"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, nextNetwork.StatusCode);
        }
    }

    private sealed record Answer(HttpStatusCode Status, TimeSpan? RetryAfter, string? MediaType);

    /// <summary>Sign-ins from one address by as many pages at once as concurrency, until attempts have been sent.</summary>
    private static async Task<List<Answer>> RaceAsync(
        WebApplicationFactory<Program> instance, string address, string userName, int attempts, int concurrency, Func<int, string> password)
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => SignInInstances.ClientAsync(instance, address)));
        var answers = new ConcurrentBag<Answer>();
        var next = -1;
        await Task.WhenAll(pages.Select(async page =>
        {
            using var client = page.Client;
            for (var attempt = Interlocked.Increment(ref next); attempt < attempts; attempt = Interlocked.Increment(ref next))
            {
                using var response = await SignInAsync(client, page.Csrf, userName, password(attempt));
                answers.Add(new Answer(response.StatusCode, response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType));
            }
        }));
        return [.. answers];
    }
}
