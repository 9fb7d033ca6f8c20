using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Management;

/// <summary>The stats bound is checked at start-up: a host never starts with a bound that reads nothing or without limit.</summary>
public sealed class DashboardOptionsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    public void AStatsBoundOutOfRangeStopsTheHostAtStartUp(string bound)
    {
        // The validation the host runs at start, before any hosted service: a failed WebApplicationFactory start under
        // load sometimes surfaces as the disposed host's ObjectDisposedException instead of the validation's message.
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => ConfiguredOptions.ValidateAtStart(("Webhooks:Dashboard:StatsMaxDeliveries", bound)));

        Assert.Contains("StatsMaxDeliveries must be from 1 to 100000", e.Message, StringComparison.Ordinal);
    }
}
