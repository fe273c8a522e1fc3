using Microsoft.AspNetCore.DataProtection;
using OtpNet;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;

namespace SettlementMap.Tests.Accounts;

/// <summary>The TOTP step logic on a clock the test sets: the window, codes good once, the stored secret protected.</summary>
public sealed class TwoFactorTests
{
    private sealed class FakeClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    // 10:00:00 UTC is the start of a 30-second step.
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static (TwoFactor Service, FakeClock Clock, UserAccount User, Totp Totp, TotpEnrolment Enrolment) Enrolled()
    {
        var clock = new FakeClock(Start);
        var service = new TwoFactor(new EphemeralDataProtectionProvider(), clock);
        var user = new UserAccount { Id = 1, UserName = "admin.two", DisplayName = "Admin", PasswordHash = "" };
        var enrolment = service.Start(user);
        return (service, clock, user, new Totp(Base32Encoding.ToBytes(enrolment.Secret)), enrolment);
    }

    [Fact]
    public void The_secret_is_stored_protected_and_given_as_text_and_an_otpauth_uri()
    {
        var (_, _, user, _, enrolment) = Enrolled();
        Assert.NotNull(user.TotpSecret);
        Assert.DoesNotContain(enrolment.Secret, user.TotpSecret, StringComparison.Ordinal);
        Assert.Matches("^[A-Z2-7]{32}$", enrolment.Secret);
        Assert.StartsWith("otpauth://totp/", enrolment.OtpauthUri, StringComparison.Ordinal);
        Assert.Contains("secret=" + enrolment.Secret, enrolment.OtpauthUri, StringComparison.Ordinal);
        Assert.Contains("issuer=SettlementMap", enrolment.OtpauthUri, StringComparison.Ordinal);
        Assert.Null(user.TotpEnabledAt);
    }

    [Theory]
    [InlineData(-30, true)]
    [InlineData(0, true)]
    [InlineData(30, true)]
    [InlineData(-60, false)]
    [InlineData(60, false)]
    public void A_code_of_the_step_before_now_and_after_is_accepted_and_no_further(int offsetSeconds, bool accepted)
    {
        var (service, clock, user, totp, _) = Enrolled();
        clock.Now = Start.AddSeconds(10);
        var code = totp.ComputeTotp(clock.Now.AddSeconds(offsetSeconds).UtcDateTime);

        Assert.Equal(accepted, service.Check(user, code, out var step));
        if (accepted)
        {
            Assert.Equal(Start.ToUnixTimeSeconds() / 30 + offsetSeconds / 30, step);
        }
    }

    [Fact]
    public void A_code_is_good_once_and_an_older_step_after_a_newer_one_is_refused()
    {
        var (service, clock, user, totp, _) = Enrolled();
        var now = totp.ComputeTotp(Start.UtcDateTime);
        var next = totp.ComputeTotp(Start.AddSeconds(30).UtcDateTime);

        Assert.True(service.Check(user, next, out var nextStep));
        user.TotpLastStep = nextStep; // as VerifyAsync records it
        Assert.False(service.Check(user, next, out _));
        Assert.False(service.Check(user, now, out _));

        clock.Now = Start.AddSeconds(60);
        Assert.True(service.Check(user, totp.ComputeTotp(clock.Now.UtcDateTime), out var later));
        Assert.Equal(nextStep + 1, later);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("１２３４５６")]
    public void A_code_that_is_not_six_ascii_digits_is_refused_without_a_check(string? code)
    {
        var (service, _, user, _, _) = Enrolled();
        Assert.False(service.Check(user, code, out _));
    }

    [Fact]
    public void A_code_typed_with_a_space_in_the_middle_is_read()
    {
        var (service, _, user, totp, _) = Enrolled();
        var code = totp.ComputeTotp(Start.UtcDateTime);
        Assert.True(service.Check(user, code[..3] + " " + code[3..], out _));
    }

    [Fact]
    public void Without_a_secret_or_with_one_protected_by_other_keys_no_code_is_accepted()
    {
        var (service, _, user, totp, _) = Enrolled();
        var code = totp.ComputeTotp(Start.UtcDateTime);
        var other = new TwoFactor(new EphemeralDataProtectionProvider(), new FakeClock(Start));
        Assert.False(other.Check(user, code, out _));

        TwoFactor.Disable(user);
        Assert.Null(user.TotpSecret);
        Assert.False(service.Check(user, code, out _));
    }
}
