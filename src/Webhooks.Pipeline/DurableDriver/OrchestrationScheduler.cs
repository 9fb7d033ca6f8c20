using Microsoft.Extensions.Options;
using Webhooks.Delivery;

namespace Webhooks.DurableDriver;

/// <summary>
/// Starts deliveries as orchestrations (the Functions app): one instance per delivery run, its id
/// derived from the delivery, so a re-processed event starts nothing twice while the instance is
/// under way. An instance that has ended (completed, failed, terminated) while the delivery is still
/// pending is not running it any more: nothing would ever conclude it, so it is replaced; the new
/// instance picks the run up where its row stands, and ends at once if the run concluded meanwhile.
/// Both are one start request: the task hub refuses it for an instance under way and replaces an ended one.
/// </summary>
public sealed class OrchestrationScheduler(IOrchestrationClient client, IOptions<RetryPolicy> policy) : IDeliveryScheduler
{
    public async Task<StartResult> StartAsync(DeliveryStart start, CancellationToken cancellationToken)
    {
        if (!start.Delivery.IsConcluded)
        {
            await client.StartUnlessUnderWayAsync(DeliveryTicket.For(start.Delivery, policy.Value), cancellationToken);
        }
        return StartResult.Done;
    }
}

/// <summary>The orchestration client as the scheduler needs it; the Functions app adapts Durable's client to it.</summary>
public interface IOrchestrationClient
{
    /// <summary>
    /// Starts the ticket's instance, replacing one of the same id that has ended; does nothing (and
    /// does not fail) when one is scheduled, running or suspended. Returns whether it started one.
    /// </summary>
    Task<bool> StartUnlessUnderWayAsync(DeliveryTicket ticket, CancellationToken cancellationToken);
}
