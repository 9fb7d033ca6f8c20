using Microsoft.Extensions.Options;

namespace Webhooks.Delivery;

/// <summary>
/// Starts deliveries as orchestrations (the Functions app): one instance per delivery run, its id
/// derived from the delivery, so a re-processed event starts nothing twice while the instance runs.
/// An instance that has ended (completed, failed, terminated) while the delivery is still pending
/// is not running it any more: nothing would ever conclude it, so it is started again (Durable
/// overwrites an ended instance of the same id); the new instance picks the run up where its row
/// stands, and ends at once if the run concluded meanwhile.
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
        if (await client.GetStateAsync(ticket.InstanceId, cancellationToken) == OrchestrationState.Running)
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
            if (await client.GetStateAsync(ticket.InstanceId, cancellationToken) != OrchestrationState.Running)
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
    Task<OrchestrationState> GetStateAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Starts the ticket's instance; an ended instance of the same id is replaced.</summary>
    Task StartAsync(DeliveryTicket ticket, CancellationToken cancellationToken);
}

/// <summary>Where an orchestration instance stands, as far as starting it goes.</summary>
public enum OrchestrationState
{
    /// <summary>No instance has this id.</summary>
    Absent,
    /// <summary>Scheduled, running, waiting on a timer, or suspended: it will go on by itself.</summary>
    Running,
    /// <summary>Completed, failed or terminated: it will do nothing more.</summary>
    Ended,
}
