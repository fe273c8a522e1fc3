using System.Net;
using System.Net.Sockets;
using Npgsql;
using NpgsqlTypes;

namespace SettlementMap.Web.Features.Accounts;

/// <summary>A kind of key the throttle counts failed sign-ins under, and how it slows them down.</summary>
/// <param name="Kind">The key's prefix in the table.</param>
/// <param name="Allowance">Failures (decayed) that cost nothing.</param>
/// <param name="FirstDelay">The wait after the first failure beyond the allowance; it doubles with each further one.</param>
/// <param name="MaxDelay">The longest wait this kind ever asks for.</param>
public sealed record SignInPolicy(string Kind, int Allowance, TimeSpan FirstDelay, TimeSpan MaxDelay);

/// <summary>The keys one sign-in attempt counts under, most specific first.</summary>
public sealed record SignInKeys(string AddressAccount, string Address, string Account)
{
    public string[] All => [AddressAccount, Address, Account];
}

/// <summary>
/// Slows down guessing without letting anyone lock an account. Failures are counted in PostgreSQL
/// (Sql/sign_in_attempt.sql, sign_in_release.sql; the table sign_in_throttle), shared by every
/// instance of the app, under three keys, each with a count that halves every <see cref="HalfLife"/> and an exponential back-off with a short cap:
/// <list type="bullet">
/// <item>(address, account): the guesser's own pair; 5 free, then 1 s doubling up to 60 s, so one
/// address gets at most about one guess a minute at one account.</item>
/// <item>address (IPv4, or the IPv6 /64 a host is given): 20 free across all names, up to 30 s, so
/// spraying many names from one address is slowed as well, while an office behind one NAT address
/// can mistype a few times without noticing.</item>
/// <item>account, from every address: 40 free, up to 10 s, against guessing from many addresses.
/// A single address never reaches it: its own caps hold it to about one counted failure a minute,
/// which decays to a steady count of about 22.</item>
/// </list>
/// Why every cap is short: the right password from an address an attacker shares (an office, a mobile
/// carrier's NAT) cannot be told from a guess before the hash is checked, and checking it anyway would
/// give the attacker an unthrottled oracle. So nobody is ever made to wait longer than a minute after
/// the last failure: at worst the owner of an attacked account waits 60 s at the attacker's address,
/// 10 s anywhere else, and a correct password from another address is never refused because of one
/// address's failures. A persistent guesser is held to about 60 guesses an hour for an account from
/// one address: with passwords of at least <see cref="PasswordPolicy.MinLength"/> characters, slow enough.
/// An attempt counts as a failure from the moment it is let through (so concurrent guesses cannot all
/// slip in before the first failure is written) and is taken back when the password was right or never
/// got checked.
/// </summary>
public sealed class SignInThrottle(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static readonly SignInPolicy PerAddressAndAccount = new("address-account", 5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    public static readonly SignInPolicy PerAddress = new("address", 20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    public static readonly SignInPolicy PerAccount = new("account", 40, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    public static readonly TimeSpan HalfLife = TimeSpan.FromMinutes(15);

    /// <summary>In the order of <see cref="SignInKeys.All"/>.</summary>
    private static readonly SignInPolicy[] Policies = [PerAddressAndAccount, PerAddress, PerAccount];

    /// <summary>The account part of a key for a name no account can have (see <see cref="AccountService.IsPossibleUserName"/>).</summary>
    private const string ImpossibleName = "(not a user name)";

    public static SignInKeys Keys(string userName, IPAddress? address)
    {
        var name = AccountService.IsPossibleUserName(userName) ? userName : ImpossibleName;
        var client = AddressKey(address);
        return new SignInKeys($"{PerAddressAndAccount.Kind}:{client}|{name}", $"{PerAddress.Kind}:{client}", $"{PerAccount.Kind}:{name}");
    }

    /// <summary>An IPv4 address as it is; an IPv6 one by its /64, the smallest block a host is usually given.</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>
    /// Zero when the attempt may go ahead (it now counts as a failure until <see cref="SucceededAsync"/>
    /// or <see cref="WithdrawAsync"/>); otherwise how long to wait, and nothing was counted.
    /// </summary>
    public async Task<TimeSpan> AttemptAsync(SignInKeys keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var command = dataSource.CreateCommand("SELECT sign_in_attempt($1, $2, $3, $4, $5, $6)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = keys.All });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. Policies.Select(p => (double)p.Allowance)] });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. Policies.Select(p => p.FirstDelay.TotalSeconds)] });
        command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. Policies.Select(p => p.MaxDelay.TotalSeconds)] });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = HalfLife.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        var seconds = (double)(await command.ExecuteScalarAsync(cancellationToken))!;
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The password was right: the attempt is no failure, and this address starts again from nothing for this account.</summary>
    public Task SucceededAsync(SignInKeys keys) => ReleaseAsync(keys, keys?.AddressAccount);

    /// <summary>The password was never checked (the server was too busy): the attempt is no failure.</summary>
    public Task WithdrawAsync(SignInKeys keys) => ReleaseAsync(keys, null);

    // Not cancellable: a client that leaves after its password was checked must not leave the attempt counted.
    private async Task ReleaseAsync(SignInKeys keys, string? forget)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var command = dataSource.CreateCommand("SELECT sign_in_release($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = keys.All });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)forget ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
