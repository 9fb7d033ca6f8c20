using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.DurableDriver;
using RetryPolicy = Webhooks.Delivery.RetryPolicy;

namespace Webhooks.Functions.Deliveries;

/// <summary>The library's orchestration scheduler over this invocation's Durable client.</summary>
public static class DurableScheduler
{
    /// <summary>An instance in these states is under way: starting its id again must leave it alone. Ended ones are replaced.</summary>
    internal static readonly OrchestrationRuntimeStatus[] UnderWay =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    public static IDeliveryScheduler For(DurableTaskClient client, IOptions<RetryPolicy> policy) =>
        new OrchestrationScheduler(new DurableClientAdapter(client), policy);

    private sealed class DurableClientAdapter(DurableTaskClient client) : IOrchestrationClient
    {
        // One request: the task hub checks the instance's status itself (no read before it), refusing ids under way.
        public async Task<bool> StartUnlessUnderWayAsync(DeliveryTicket ticket, CancellationToken cancellationToken)
        {
            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(nameof(DeliveryOrchestration.DeliverWebhook), ticket,
                    new StartOrchestrationOptions(ticket.InstanceId).WithDedupeStatuses(UnderWay), cancellationToken);
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
            {
                return false;
            }
        }
    }
}
