using SettlementMap.Web.Features.Accounts;

namespace SettlementMap.Tests.Accounts;

/// <summary>The password policy: length, not the user name, not a common password from the shipped list.</summary>
public sealed class PasswordPolicyTests
{
    private static string[] Codes(string? password, string? userName = "jovana.petrovic") =>
        [.. AccountService.PasswordProblems(password, userName).Select(p => p.Code)];

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("eleven-char")]
    public void A_password_shorter_than_twelve_characters_is_refused(string? password) =>
        Assert.Contains("password_too_short", Codes(password));

    [Fact]
    public void Twelve_characters_that_are_not_common_and_not_the_name_are_enough()
    {
        Assert.Empty(Codes("zelena-reka-7"));
        Assert.Empty(Codes(new string('x', 5) + "-plava-7"));
    }

    [Fact]
    public void A_password_longer_than_the_bound_is_refused() =>
        Assert.Equal(["password_too_long"], Codes("Kragujevac-" + new string('q', PasswordPolicy.MaxLength)));

    [Theory]
    [InlineData("jovana.petrovic-2026")]
    [InlineData("2026JOVANA.PETROVIC!")]
    [InlineData("xxJovana.Petrovicxx")]
    public void A_password_containing_the_user_name_in_any_case_is_refused(string password) =>
        Assert.Equal(["password_contains_user_name"], Codes(password));

    [Theory]
    [InlineData("qwertyuiop123")]
    [InlineData("QWERTYUIOP123")]
    [InlineData("passwordpassword")]
    [InlineData("1qaz2wsx3edc")]
    public void A_common_password_is_refused_whatever_its_case(string password) =>
        Assert.Equal(["password_common"], Codes(password, "someone"));

    [Fact]
    public void The_shipped_list_is_loaded_whole_and_holds_the_classics()
    {
        Assert.True(PasswordPolicy.CommonCount > 40_000, $"{PasswordPolicy.CommonCount} passwords");
        Assert.Contains("password_common", Codes("password", "someone"));
        Assert.Contains("password_common", Codes("123456", "someone"));
    }

    [Fact]
    public void Every_message_is_English_and_every_problem_names_the_password_field()
    {
        var problems = AccountService.PasswordProblems("zq", "zq");
        Assert.Equal(["password_too_short", "password_contains_user_name"], problems.Select(p => p.Code).Take(2));
        Assert.All(problems, p => Assert.Equal("password", p.Field));
        Assert.All(problems, p => Assert.Matches("^[A-Z][ -~]+\\.$", p.Message));
    }

    [Fact]
    public void A_generated_password_meets_the_policy_and_is_never_the_same_twice()
    {
        var generated = Enumerable.Range(0, 200).Select(_ => PasswordPolicy.Generate()).ToList();
        Assert.All(generated, p => Assert.Empty(AccountService.PasswordProblems(p, "admin")));
        Assert.All(generated, p => Assert.Matches("^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$", p));
        Assert.Equal(generated.Count, generated.Distinct(StringComparer.Ordinal).Count());
    }
}

/// <summary>Which sessions a password reset ends: those issued before the reset's second.</summary>
public sealed class PasswordResetSessionTests
{
    private static readonly DateTimeOffset Reset = new(2026, 12, 3, 10, 0, 5, 700, TimeSpan.Zero);

    [Theory]
    [InlineData(-60, true)]
    [InlineData(-0.8, true)] // 10:00:04.9
    [InlineData(-0.7, false)] // 10:00:05.0: the cookie's second of the reset counts as after it
    [InlineData(0, false)]
    [InlineData(30, false)]
    public void A_session_issued_before_the_resets_second_ends(double secondsFromReset, bool ends) =>
        Assert.Equal(ends, Authentication.SignedInBefore(Reset.AddSeconds(secondsFromReset), Reset));

    [Fact]
    public void Without_a_reset_or_an_issue_time_no_session_ends()
    {
        Assert.False(Authentication.SignedInBefore(Reset, null));
        Assert.False(Authentication.SignedInBefore(null, Reset));
    }
}
