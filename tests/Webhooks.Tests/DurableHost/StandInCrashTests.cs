using Webhooks.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Tests.DurableHost;

/// <summary>
/// At least once, never lost, on the Durable path: the Functions host stand-in (worker, sidecar and the
/// Azure Storage provider in one process) killed with SIGKILL mid-flight and restarted on the same task hub
/// (see <see cref="CrashScenario"/>). The provider's partition leases must expire before the successor
/// takes the partitions over, so this run is given longer.
/// </summary>
[Collection(CrashStorageTests.Name)]
[Trait("Category", "Slow")]
public sealed class StandInCrashTests(AzuriteFixture storage, ITestOutputHelper output)
{
    [Fact]
    public Task KillingTheStandInMidFlightLosesNoDelivery()
    {
        var names = StandInNames.New();
        return new CrashScenario(storage, output.WriteLine).RunAsync(20, app =>
        {
            var settings = new Dictionary<string, string>(CrashScenario.CommonSettings(storage, app));
            foreach (var (key, value) in names.Settings(storage.ConnectionString, new Dictionary<string, string?>()))
            {
                settings[key] = value!;
            }
            settings["WebhookEventsQueue"] = app.EventsQueue;
            return settings;
        }, "Webhooks.FunctionsHostStandIn.dll", TimeSpan.FromSeconds(240));
    }
}
