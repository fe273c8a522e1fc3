using NpgsqlTypes;
using SettlementMap.Web.Database;

namespace SettlementMap.Tests.Database;

public sealed class ReplicaLagTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);

    private static NpgsqlLogSequenceNumber Lsn(ulong value) => new(value);

    [Fact]
    public void A_replica_that_has_everything_is_not_behind_however_long_the_primary_has_been_idle()
    {
        var lag = new ReplicaLag();
        lag.Observe(Start, Lsn(100), Lsn(100));
        lag.Observe(Start.AddMinutes(10), Lsn(100), Lsn(100));
        Assert.Equal(TimeSpan.Zero, lag.Behind(Start.AddMinutes(10)));
    }

    [Fact]
    public void Behind_is_the_age_of_the_oldest_change_not_replayed_yet()
    {
        var lag = new ReplicaLag();
        lag.Observe(Start, Lsn(200), Lsn(100));
        lag.Observe(Start.AddSeconds(1), Lsn(300), Lsn(150));
        Assert.Equal(TimeSpan.FromSeconds(2), lag.Behind(Start.AddSeconds(2)));
        // Past the first sample, the clock starts from the next one not replayed.
        lag.Observe(Start.AddSeconds(3), Lsn(400), Lsn(250));
        Assert.Equal(TimeSpan.FromSeconds(1), lag.Behind(Start.AddSeconds(4)));
        lag.Observe(Start.AddSeconds(5), Lsn(400), Lsn(400));
        Assert.Equal(TimeSpan.Zero, lag.Behind(Start.AddSeconds(5)));
    }

    [Fact]
    public void A_replay_held_back_grows_behind_while_the_primary_writes_on()
    {
        var lag = new ReplicaLag();
        for (var second = 0; second <= 60; second++)
        {
            lag.Observe(Start.AddSeconds(second), Lsn(1000 + (ulong)second * 10), Lsn(1000));
        }
        Assert.Equal(TimeSpan.FromSeconds(59), lag.Behind(Start.AddSeconds(60)));
    }
}
