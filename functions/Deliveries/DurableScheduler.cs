using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;

namespace Webhooks.Functions.Deliveries;

/// <summary>The library's orchestration scheduler over this invocation's Durable client.</summary>
public static class DurableScheduler
{
    public static IDeliveryScheduler For(DurableTaskClient client, IOptions<RetryPolicy> policy) =>
        new OrchestrationScheduler(new DurableClientAdapter(client), policy);

    private sealed class DurableClientAdapter(DurableTaskClient client) : IOrchestrationClient
    {
        public async Task<OrchestrationState> GetStateAsync(string instanceId, CancellationToken cancellationToken) =>
            (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken))?.RuntimeStatus switch
            {
                null => OrchestrationState.Absent,
                OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated => OrchestrationState.Ended,
                _ => OrchestrationState.Running,
            };

        // Durable replaces a completed, failed or terminated instance of the same id by default (OverridableExistingInstanceStates).
        public Task StartAsync(DeliveryTicket ticket, CancellationToken cancellationToken) =>
            client.ScheduleNewOrchestrationInstanceAsync(nameof(DeliveryOrchestration.DeliverWebhook), ticket, new Microsoft.DurableTask.StartOrchestrationOptions(ticket.InstanceId), cancellationToken);
    }
}
