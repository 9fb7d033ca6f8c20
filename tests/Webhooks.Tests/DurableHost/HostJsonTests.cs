using Microsoft.Extensions.Configuration;
using Webhooks.FunctionsHostStandIn;
using Webhooks.Tests.Deployment;

namespace Webhooks.Tests.DurableHost;

/// <summary>The stand-in runs on the app's own host.json, with single values overridden the way the Functions host allows.</summary>
public sealed class HostJsonTests
{
    private static readonly string AppHostJson = InfraFiles.Full("functions/host.json");

    [Fact]
    public void TheTaskHubAndTheTriggerTakeTheAppsHostJsonSettings()
    {
        var settings = HostJson.Read(AppHostJson, new ConfigurationBuilder().Build());

        Assert.Equal("WebhookDeliveries", settings.DurableTask.HubName);
        Assert.Equal(4, settings.DurableTask.PartitionCount);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.DurableTask.MaxQueuePollingInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.DurableTask.WorkItemQueueVisibilityTimeout);
        Assert.Equal(64, settings.DurableTask.MaxConcurrentActivityFunctions);
        Assert.Equal(32, settings.DurableTask.MaxConcurrentOrchestratorFunctions);
        Assert.Equal(16, settings.Queues.BatchSize);
        Assert.Equal(8, settings.Queues.EffectiveNewBatchThreshold);
        Assert.Equal(5, settings.Queues.MaxDequeueCount);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Queues.VisibilityTimeout);
        Assert.Equal("none", settings.Queues.MessageEncoding);
        Assert.Equal("api", settings.RoutePrefix);
    }

    [Fact]
    public void AnAzureFunctionsJobHostSettingOverridesOneValueAndLeavesTheRest()
    {
        var overrides = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:durableTask:hubName"] = "OtherHub",
            ["AzureFunctionsJobHost:extensions:queues:batchSize"] = "4",
        }).Build();

        var settings = HostJson.Read(AppHostJson, overrides);

        Assert.Equal("OtherHub", settings.DurableTask.HubName);
        Assert.Equal(4, settings.Queues.BatchSize);
        Assert.Equal(4, settings.DurableTask.PartitionCount);
        Assert.Equal(8, settings.Queues.EffectiveNewBatchThreshold);
    }
}
