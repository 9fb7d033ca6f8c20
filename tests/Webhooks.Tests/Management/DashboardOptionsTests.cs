using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Management;

/// <summary>The stats bound is checked at start-up: a host never starts with a bound that reads nothing or without limit.</summary>
[Collection(ManagementStorageTests.Name)]
public sealed class DashboardOptionsTests(AzuriteFixture storage)
{
    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    public void AStatsBoundOutOfRangeStopsTheHostAtStartUp(string bound)
    {
        using var app = new PipelineApp(storage, settings: new Dictionary<string, string?> { ["Webhooks:Dashboard:StatsMaxDeliveries"] = bound });

        var e = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("StatsMaxDeliveries must be from 1 to 100000", e.ToString(), StringComparison.Ordinal);
    }
}
