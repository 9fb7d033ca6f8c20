using Webhooks.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Tests.EndToEnd;

/// <summary>At least once, never lost: the standalone host killed with SIGKILL mid-flight and restarted (see <see cref="CrashScenario"/>).</summary>
[Collection(CrashStorageTests.Name)]
[Trait("Category", "Slow")]
public sealed class CrashSafetyTests(AzuriteFixture storage, ITestOutputHelper output)
{
    [Fact]
    public Task KillingTheHostMidFlightLosesNoDelivery() =>
        new CrashScenario(storage, output.WriteLine).RunAsync(40, app => new(CrashScenario.CommonSettings(storage, app))
        {
            ["Webhooks:Storage:DeliveriesQueue"] = app.DeliveriesQueue,
            ["Webhooks:Delivery:LeaseMargin"] = "00:00:01",
            ["Webhooks:Driver:MaxPollingInterval"] = "00:00:00.200",
        }, "Webhooks.Standalone.dll", TimeSpan.FromSeconds(180));
}
