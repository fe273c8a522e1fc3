using System.Net;
using SettlementMap.Tests.Infrastructure;
using static SettlementMap.Tests.Editing.Edits;

namespace SettlementMap.Tests.Editing;

/// <summary>
/// POST /api/auth/sign-in is throttled per user name (five failures in fifteen minutes), known and
/// unknown names alike. A class of its own: the throttle lives as long as the application instance.
/// (SignInThrottleTests covers the sliding window itself with a test clock.)
/// </summary>
public sealed class SignInThrottleHttpTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task After_five_failures_the_sixth_attempt_gets_429_with_Retry_After_even_with_the_right_password()
    {
        using var client = CookieClient(app);
        var csrf = await CsrfTokenAsync(client);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var failed = await SignInAsync(client, csrf, CoordinatorNis, $"wrong-password-{attempt}");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var response = await SignInAsync(client, csrf, CoordinatorNis, CoordinatorPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.Equal(429, (await BodyAsync(response)).GetProperty("status").GetInt32());

        // Another name is not blocked by this one's failures.
        using var other = CookieClient(app);
        await SignInWithCookieAsync(other, "coord-zvezdara", CoordinatorPassword);
    }

    [Fact]
    public async Task An_unknown_user_name_is_throttled_like_a_known_one()
    {
        using var client = CookieClient(app);
        var csrf = await CsrfTokenAsync(client);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var failed = await SignInAsync(client, csrf, "nobody-here", "some-password");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        // The name is normalised (trimmed, lower case) before it is counted.
        using var response = await SignInAsync(client, csrf, "Nobody-Here ", "some-password");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
    }
}
