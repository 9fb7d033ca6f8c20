using Microsoft.Azure.Functions.Worker;
using Webhooks.Delivery;
using Webhooks.DurableDriver;

namespace Webhooks.Functions.Deliveries;

/// <summary>
/// The orchestration's activities, each one library call: an attempt (send, decide, record and
/// conclude in one), and a conclusion for a run whose attempt activity failed on its last attempt.
/// </summary>
public sealed class DeliveryActivities(AttemptRunner attempts, DeliveryConclusions conclusions)
{
    [Function(nameof(AttemptDelivery))]
    public Task<AttemptResult> AttemptDelivery([ActivityTrigger] AttemptActivityInput input, CancellationToken cancellationToken) =>
        attempts.AttemptAsync(input.ToOrder(), cancellationToken);

    [Function(nameof(ConcludeDelivery))]
    public Task<DeliveryEnd?> ConcludeDelivery([ActivityTrigger] ConclusionActivityInput input, CancellationToken cancellationToken) =>
        conclusions.ConcludeRunAsync(input.Ticket.Key, input.Ticket.Run, input.End, cancellationToken);
}
