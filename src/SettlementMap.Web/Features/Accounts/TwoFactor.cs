using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using SettlementMap.Web.Data;

namespace SettlementMap.Web.Features.Accounts;

/// <summary>A TOTP secret to enter in an authenticator app: as text (Base32) and as an otpauth:// URI.</summary>
public sealed record TotpEnrolment(string Secret, string OtpauthUri);

/// <summary>
/// Time-based one-time codes (RFC 6238 with Otp.NET: SHA-1, 6 digits, 30 s, as every authenticator
/// app reads them) for administrators' sign-in. The secret is stored protected with ASP.NET Core Data
/// Protection (the app's persisted keys), so a copy of the database alone cannot produce codes.
/// </summary>
public sealed class TwoFactor(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Issuer = "SettlementMap";
    public const int StepSeconds = 30;
    public const int Digits = 6;

    /// <summary>One step either side of now: a phone's clock a little off, or a code typed as it changed.</summary>
    public static readonly VerificationWindow Window = new(previous: 1, future: 1);

    private readonly IDataProtector _protector = protection.CreateProtector("SettlementMap.Accounts.Totp.v1");

    /// <summary>A new secret for <paramref name="user"/>, stored (protected) but not in force until a first code confirms it.</summary>
    public TotpEnrolment Start(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        user.TotpSecret = _protector.Protect(secret);
        user.TotpEnabledAt = null;
        user.TotpLastStep = null;
        var uri = new OtpUri(OtpType.Totp, secret, user.UserName, Issuer, OtpHashMode.Sha1, Digits, StepSeconds, 0).ToUri();
        return new TotpEnrolment(secret, uri.AbsoluteUri);
    }

    /// <summary>Switches it off and forgets the secret.</summary>
    public static void Disable(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        user.TotpSecret = null;
        user.TotpEnabledAt = null;
        user.TotpLastStep = null;
    }

    /// <summary>
    /// Whether <paramref name="code"/> is the account's code now (within <see cref="Window"/>) and of a
    /// later time step than the last one accepted; if so, that step is recorded at once, by a
    /// conditional UPDATE, so that of two requests racing with one code only one gets through.
    /// </summary>
    public async Task<bool> VerifyAsync(SettlementMapDbContext db, UserAccount user, string? code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(user);
        if (!Check(user, code, out var step))
        {
            return false;
        }
        var recorded = await db.Users.Where(u => u.Id == user.Id && (u.TotpLastStep == null || u.TotpLastStep < step))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.TotpLastStep, step), cancellationToken);
        if (recorded == 0)
        {
            return false;
        }
        user.TotpLastStep = step;
        return true;
    }

    /// <summary>The check without the database: the code against the account's secret, the clock and the last step accepted.</summary>
    public bool Check(UserAccount user, string? code, out long step)
    {
        ArgumentNullException.ThrowIfNull(user);
        step = 0;
        if (user.TotpSecret is null)
        {
            return false;
        }
        byte[] secret;
        try
        {
            secret = Base32Encoding.ToBytes(_protector.Unprotect(user.TotpSecret));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false; // protected with keys this app no longer has: an administrator switches it off for the account
        }
        return Matches(secret, code, clock.GetUtcNow(), user.TotpLastStep, out step);
    }

    /// <summary>The step logic alone: a well-formed code of a step within the window of <paramref name="now"/> and after <paramref name="lastStep"/>.</summary>
    public static bool Matches(byte[] secret, string? code, DateTimeOffset now, long? lastStep, out long step)
    {
        step = 0;
        var text = (code ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (text.Length != Digits || !text.All(char.IsAsciiDigit))
        {
            return false;
        }
        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, text, out step, Window) && (lastStep is null || step > lastStep);
    }
}
