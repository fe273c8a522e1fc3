using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Tests.Editing;

/// <summary>The sliding-window count of failed sign-ins, with a clock the test moves.</summary>
public sealed class SignInThrottleTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Five_failures_for_a_name_block_it_until_the_oldest_leaves_the_window()
    {
        var clock = new ManualClock();
        var throttle = new SignInThrottle(clock);
        for (var i = 0; i < SignInThrottle.MaxFailuresPerName; i++)
        {
            Assert.Null(throttle.RetryAfter("mira", "10.0.0.1"));
            throttle.Failed("mira", "10.0.0.1");
            clock.Now += TimeSpan.FromMinutes(1);
        }
        var wait = throttle.RetryAfter("mira", "10.0.0.2");
        Assert.Equal(SignInThrottle.Window - TimeSpan.FromMinutes(5), wait);
        Assert.Null(throttle.RetryAfter("other", "10.0.0.2"));

        clock.Now += wait!.Value;
        Assert.Null(throttle.RetryAfter("mira", "10.0.0.1"));
    }

    [Fact]
    public void Success_clears_the_name_but_not_the_address()
    {
        var throttle = new SignInThrottle(new ManualClock());
        for (var i = 0; i < SignInThrottle.MaxFailuresPerName - 1; i++)
        {
            throttle.Failed("mira", "10.0.0.1");
        }
        throttle.Succeeded("mira");
        throttle.Failed("mira", "10.0.0.1");
        Assert.Null(throttle.RetryAfter("mira", "10.0.0.1"));
    }

    [Fact]
    public void Many_names_from_one_address_block_the_address_whatever_the_name()
    {
        var throttle = new SignInThrottle(new ManualClock());
        for (var i = 0; i < SignInThrottle.MaxFailuresPerAddress; i++)
        {
            throttle.Failed($"guess{i}", "10.0.0.9");
        }
        Assert.NotNull(throttle.RetryAfter("someone-new", "10.0.0.9"));
        Assert.Null(throttle.RetryAfter("someone-new", "10.0.0.10"));
    }
}
