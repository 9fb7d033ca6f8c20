using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Delivery;

/// <summary>How <c>Webhooks:Retry</c> binds through the pipeline registration: a configured schedule replaces the default one.</summary>
public sealed class RetryPolicyBindingTests
{
    private static RetryPolicy Resolve(params (string Key, string Value)[] settings) => ConfiguredOptions.Resolve<RetryPolicy>(settings);

    [Fact]
    public void WithoutConfigurationTheDefaultEightStepScheduleApplies()
    {
        var policy = Resolve();

        Assert.Equal(new RetryPolicy().Schedule, policy.Schedule);
        Assert.Equal(8, policy.MaxAttempts);
    }

    [Fact]
    public void AConfiguredScheduleReplacesTheDefaultInsteadOfBeingAppendedToIt()
    {
        var policy = Resolve(
            ("Webhooks:Retry:Schedule:0", "00:00:00"),
            ("Webhooks:Retry:Schedule:1", "00:00:01"),
            ("Webhooks:Retry:Schedule:2", "00:00:02"));

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], policy.Schedule);
        Assert.Equal(3, policy.MaxAttempts);
    }

    [Fact]
    public void OtherRetrySettingsBindAlongsideTheDefaultSchedule()
    {
        var policy = Resolve(("Webhooks:Retry:JitterFraction", "0.1"), ("Webhooks:Retry:RetryAfterCap", "00:10:00"));

        Assert.Equal(0.1, policy.JitterFraction);
        Assert.Equal(TimeSpan.FromMinutes(10), policy.RetryAfterCap);
        Assert.Equal(new RetryPolicy().Schedule, policy.Schedule);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("8.00:00:00")]
    [InlineData("6.00:00:00")]
    public void AnInvalidScheduleFailsOptionsValidation(string delay)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(("Webhooks:Retry:Schedule:0", "00:00:00"), ("Webhooks:Retry:Schedule:1", delay)));

        Assert.Contains("Webhooks:Retry", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AJitterOfOneHundredPercentFailsOptionsValidation()
    {
        Assert.Throws<OptionsValidationException>(() => Resolve(("Webhooks:Retry:JitterFraction", "1")));
    }
}
