using Microsoft.Azure.Functions.Worker;
using Webhooks.Delivery;

namespace Webhooks.Functions.Deliveries;

/// <summary>The orchestration's activities: one attempt, and the conclusion (history, auto-disable), each one library call.</summary>
public sealed class DeliveryActivities(DeliveryAttempts attempts)
{
    [Function(nameof(AttemptDelivery))]
    public Task<AttemptOutcome> AttemptDelivery([ActivityTrigger] AttemptRequest request, CancellationToken cancellationToken) =>
        attempts.AttemptAsync(request.Ticket.Key, request.Ticket.Run, request.Attempt, cancellationToken);

    [Function(nameof(ConcludeDelivery))]
    public Task ConcludeDelivery([ActivityTrigger] ConclusionRequest request, CancellationToken cancellationToken) =>
        attempts.ConcludeAsync(request.Ticket.Key, request.Ticket.Run, request.End, cancellationToken);
}
