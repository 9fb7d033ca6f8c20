using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Functions.Deliveries;
using Webhooks.Storage;

namespace Webhooks.Tests.Functions;

/// <summary>
/// The Functions app's scheduler over Durable's client: a pending delivery whose instance has ended
/// (completed, failed, terminated) is started again under the same instance id; one whose instance
/// is still scheduled, running or suspended, or whose delivery concluded, starts nothing.
/// </summary>
public sealed class DurableSchedulerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static DeliveryRecord Pending() => DeliveryRecord.Pending("org-1", "wh_0000000000000000000000000a", "evt_1", "build_completed", [], Now);

    private static async Task<StatusClient> StartAsync(DeliveryRecord delivery, OrchestrationRuntimeStatus status)
    {
        var client = new StatusClient(status);
        await DurableScheduler.For(client, Options.Create(new Webhooks.Delivery.RetryPolicy()))
            .StartAsync(new DeliveryStart(delivery, null, null, IsNew: false, ProcessedBy: "m1"), CancellationToken.None);
        return client;
    }

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Failed)]
    [InlineData(OrchestrationRuntimeStatus.Completed)]
    [InlineData(OrchestrationRuntimeStatus.Terminated)]
    public async Task APendingDeliveryWhoseInstanceEndedIsStartedAgainUnderTheSameInstanceId(OrchestrationRuntimeStatus status)
    {
        var delivery = Pending();

        var client = await StartAsync(delivery, status);

        var started = Assert.Single(client.Started);
        Assert.Equal(delivery.DeliveryId, started.InstanceId);
        Assert.Equal(nameof(DeliveryOrchestration.DeliverWebhook), started.Name);
    }

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Running)]
    [InlineData(OrchestrationRuntimeStatus.Pending)]
    [InlineData(OrchestrationRuntimeStatus.Suspended)]
    public async Task APendingDeliveryWhoseInstanceIsStillUnderWayStartsNothing(OrchestrationRuntimeStatus status)
    {
        var client = await StartAsync(Pending(), status);

        Assert.Empty(client.Started);
    }

    [Fact]
    public async Task AConcludedDeliveryWhoseInstanceFailedStartsNothing()
    {
        var client = await StartAsync(Pending() with { Status = DeliveryStatus.Exhausted, FinishedAt = Now }, OrchestrationRuntimeStatus.Failed);

        Assert.Empty(client.Started);
    }

    /// <summary>A Durable client whose one instance has the given status, recording the starts asked of it.</summary>
    private sealed class StatusClient(OrchestrationRuntimeStatus status) : DurableTaskClient("status")
    {
        public List<(string Name, string? InstanceId)> Started { get; } = [];

        public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
        {
            Started.Add((orchestratorName.Name, options?.InstanceId));
            return Task.FromResult(options?.InstanceId ?? "");
        }

        public override Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            Task.FromResult<OrchestrationMetadata?>(new OrchestrationMetadata(nameof(DeliveryOrchestration.DeliverWebhook), instanceId) { RuntimeStatus = status });

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) => throw new NotSupportedException();
        public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();
        public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();
        public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();
        public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();
        public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation);
        public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotSupportedException();
    }
}
