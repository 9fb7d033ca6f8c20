using Microsoft.Extensions.Options;
using Webhooks.QueueDriver;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.QueueDriver;

/// <summary>How <c>Webhooks:Driver</c> binds and what it refuses.</summary>
public sealed class QueueDriverOptionsTests
{
    private static QueueDriverOptions Resolve(params (string Key, string Value)[] settings) => ConfiguredOptions.Resolve<QueueDriverOptions>(settings);

    [Fact]
    public void TheActivePollingIntervalIs20MillisecondsUnlessConfigured()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(20), Resolve().ActivePollingInterval);
        Assert.Equal(TimeSpan.Zero, Resolve(("Webhooks:Driver:ActivePollingInterval", "00:00:00")).ActivePollingInterval);
    }

    [Theory]
    [InlineData("-00:00:00.001")]
    [InlineData("00:00:02")]
    public void AnActivePollingIntervalBelowZeroOrAboveTheIdleMaximumFailsValidation(string interval)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(("Webhooks:Driver:ActivePollingInterval", interval)));

        Assert.Contains("ActivePollingInterval", failure.Message, StringComparison.Ordinal);
    }
}
