using Microsoft.Extensions.Options;

namespace Webhooks.Delivery;

/// <summary>
/// Starts deliveries as orchestrations (the Functions app): one instance per delivery run, its id
/// derived from the delivery, so an instance that already exists counts as started and a
/// re-processed event starts nothing twice.
/// </summary>
public sealed class OrchestrationScheduler(IOrchestrationClient client, IOptions<RetryPolicy> policy) : IDeliveryScheduler
{
    public async Task<StartResult> StartAsync(DeliveryStart start, CancellationToken cancellationToken)
    {
        if (start.Delivery.IsConcluded)
        {
            return StartResult.Done;
        }
        var ticket = DeliveryTicket.For(start.Delivery, policy.Value);
        if (await client.ExistsAsync(ticket.InstanceId, cancellationToken))
        {
            return StartResult.Done;
        }
        try
        {
            await client.StartAsync(ticket, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Another processing of the same event may have started it between the check and the start;
            // only if it did is the failure harmless.
            if (!await client.ExistsAsync(ticket.InstanceId, cancellationToken))
            {
                throw;
            }
        }
        return StartResult.Done;
    }
}

/// <summary>The orchestration client as the scheduler needs it; the Functions app adapts Durable's client to it.</summary>
public interface IOrchestrationClient
{
    Task<bool> ExistsAsync(string instanceId, CancellationToken cancellationToken);

    Task StartAsync(DeliveryTicket ticket, CancellationToken cancellationToken);
}
