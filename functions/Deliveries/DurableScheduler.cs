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
        public async Task<bool> ExistsAsync(string instanceId, CancellationToken cancellationToken) =>
            await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null;

        public Task StartAsync(DeliveryTicket ticket, CancellationToken cancellationToken) =>
            client.ScheduleNewOrchestrationInstanceAsync(nameof(DeliveryOrchestration.DeliverWebhook), ticket, new Microsoft.DurableTask.StartOrchestrationOptions(ticket.InstanceId), cancellationToken);
    }
}
