using System.Net;
using Npgsql;
using SettlementMap.Tests.Infrastructure;
using SettlementMap.Web.Features.Accounts;
using SettlementMap.Web.Features.Editing;

namespace SettlementMap.Tests.Accounts;

/// <summary>
/// The counting in PostgreSQL (Features/Accounts/Sql/sign_in_*.sql) driven directly over hours of a test clock:
/// what a persistent guesser gets, what the account's owner waits, and that old keys go.
/// </summary>
public sealed class SignInThrottleTests(EmptyDatabaseFixture database) : IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dataSource!.DisposeAsync();

    private SignInThrottle Throttle(TimeProvider clock) => new(_dataSource!, clock);

    [Fact]
    public async Task Sixty_four_attempts_at_once_let_exactly_the_allowance_through()
    {
        var throttle = Throttle(new TestClock());
        var keys = SignInThrottle.Keys("race", IPAddress.Parse("192.0.2.1"));

        var waits = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => throttle.AttemptAsync(keys, default)));

        Assert.Equal(SignInThrottle.PerAddressAndAccount.Allowance, waits.Count(w => w == TimeSpan.Zero));
    }

    [Fact]
    public async Task A_guesser_who_retries_the_moment_each_wait_ends_gets_a_guess_a_minute_and_the_owner_waits_a_minute_at_most()
    {
        var clock = new TestClock();
        var throttle = Throttle(clock);
        var attacker = IPAddress.Parse("192.0.2.2");
        var guesser = SignInThrottle.Keys("owner", attacker);
        var ownerElsewhere = SignInThrottle.Keys("owner", IPAddress.Parse("198.51.100.2"));
        var hours = 3;
        var end = clock.GetUtcNow().AddHours(hours);
        var guesses = 0;
        var longest = TimeSpan.Zero;

        while (clock.GetUtcNow() < end)
        {
            longest = Max(longest, await LetThroughAsync(throttle, clock, guesser));
            guesses++;
            // Between two guesses, the owner elsewhere is let through at once.
            Assert.Equal(TimeSpan.Zero, await throttle.AttemptAsync(ownerElsewhere, default));
            await throttle.SucceededAsync(ownerElsewhere);
        }

        Assert.Equal(SignInThrottle.PerAddressAndAccount.MaxDelay, longest);
        Assert.InRange(guesses, hours * 60, (hours * 60) + 12);
        // The owner at the attacker's address, right after the attacker's last guess: one minute at most.
        var ownerThere = await throttle.AttemptAsync(guesser, default);
        Assert.InRange(ownerThere, TimeSpan.FromSeconds(1), SignInThrottle.PerAddressAndAccount.MaxDelay);
        // (The database keeps microseconds: a millisecond more keeps the rounding from leaving a sliver of wait.)
        clock.Advance(ownerThere + TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.Zero, await throttle.AttemptAsync(guesser, default));
    }

    [Fact]
    public async Task Guesses_from_many_addresses_slow_the_account_down_to_its_cap_and_no_further()
    {
        var clock = new TestClock();
        var throttle = Throttle(clock);
        var longest = TimeSpan.Zero;

        // 300 addresses, one guess each, every one let through in the end.
        for (var bot = 0; bot < 300; bot++)
        {
            longest = Max(longest, await LetThroughAsync(throttle, clock, SignInThrottle.Keys("target", IPAddress.Parse($"10.9.{bot / 250}.{(bot % 250) + 1}"))));
        }

        Assert.Equal(SignInThrottle.PerAccount.MaxDelay, longest);
        var owner = await throttle.AttemptAsync(SignInThrottle.Keys("target", IPAddress.Parse("198.51.100.3")), default);
        Assert.InRange(owner, TimeSpan.Zero, SignInThrottle.PerAccount.MaxDelay);
    }

    [Fact]
    public async Task Keys_untouched_for_sixteen_half_lives_are_deleted_by_later_attempts()
    {
        var clock = new TestClock();
        var throttle = Throttle(clock);
        var old = SignInThrottle.Keys("long-ago", IPAddress.Parse("192.0.2.4"));
        await throttle.AttemptAsync(old, default);
        Assert.Equal(3, await CountAsync(old.All));

        clock.Advance((16 * SignInThrottle.HalfLife) + TimeSpan.FromSeconds(1));
        await throttle.AttemptAsync(SignInThrottle.Keys("today", IPAddress.Parse("192.0.2.5")), default);

        Assert.Equal(0, await CountAsync(old.All));
    }

    [Fact]
    public async Task A_right_password_forgets_the_address_for_that_account_and_takes_its_attempt_back_elsewhere()
    {
        var clock = new TestClock();
        var throttle = Throttle(clock);
        var keys = SignInThrottle.Keys("forgiven", IPAddress.Parse("192.0.2.6"));
        for (var failure = 0; failure < 3; failure++)
        {
            await throttle.AttemptAsync(keys, default);
        }
        await throttle.AttemptAsync(keys, default);
        await throttle.SucceededAsync(keys);

        Assert.Equal(0, await CountAsync([keys.AddressAccount]));
        Assert.Equal(3, await FailuresAsync(keys.Address), 3);
        Assert.Equal(3, await FailuresAsync(keys.Account), 3);
    }

    [Fact]
    public void Keys_group_IPv6_by_its_slash_64_and_name_every_impossible_user_name_alike()
    {
        Assert.Equal("2001:db8:1:2::/64", SignInThrottle.AddressKey(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
        Assert.Equal("192.0.2.7", SignInThrottle.AddressKey(IPAddress.Parse("::ffff:192.0.2.7")));
        Assert.Equal("unknown", SignInThrottle.AddressKey(null));
        Assert.Equal(SignInThrottle.Keys("a\0b", null), SignInThrottle.Keys(new string('x', 65), null));
        Assert.Equal("account:coord-nis", SignInThrottle.Keys("coord-nis", null).Account);
    }

    /// <summary>Attempts as a guesser who retries the moment each wait ends, until let through; the longest wait it was told.</summary>
    private static async Task<TimeSpan> LetThroughAsync(SignInThrottle throttle, TestClock clock, SignInKeys keys)
    {
        var longest = TimeSpan.Zero;
        TimeSpan wait;
        while ((wait = await throttle.AttemptAsync(keys, default)) > TimeSpan.Zero)
        {
            longest = Max(longest, wait);
            // A wait the clock's ticks round to nothing would repeat for ever.
            clock.Advance(Max(wait, TimeSpan.FromMilliseconds(1)));
        }
        return longest;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task<long> CountAsync(string[] keys)
    {
        await using var command = _dataSource!.CreateCommand("SELECT count(*) FROM sign_in_throttle WHERE key = ANY ($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<double> FailuresAsync(string key)
    {
        await using var command = _dataSource!.CreateCommand("SELECT failures FROM sign_in_throttle WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return (double)(await command.ExecuteScalarAsync())!;
    }
}
