using Microsoft.Azure.Functions.Worker;
using Webhooks.Delivery;
using Webhooks.DurableDriver;

namespace Webhooks.Functions.Deliveries;

/// <summary>
/// The orchestration's activities, each one library call: an attempt (send, decide, record and
/// conclude in one), and a conclusion for a run whose attempt activity failed on its last attempt.
/// </summary>
public sealed class DeliveryActivities(DeliveryAttempts attempts)
{
    [Function(nameof(AttemptDelivery))]
    public Task<AttemptResult> AttemptDelivery([ActivityTrigger] AttemptRequest request, CancellationToken cancellationToken) =>
        attempts.AttemptAsync(request, cancellationToken);

    [Function(nameof(ConcludeDelivery))]
    public Task<DeliveryEnd?> ConcludeDelivery([ActivityTrigger] ConclusionRequest request, CancellationToken cancellationToken) =>
        attempts.ConcludeAsync(request, cancellationToken);
}
