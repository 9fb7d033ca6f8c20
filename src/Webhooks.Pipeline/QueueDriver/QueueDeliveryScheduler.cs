using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Storage;

namespace Webhooks.QueueDriver;

/// <summary>
/// The standalone host's way to start deliveries. From a fan-out, the first attempt runs at once
/// in this process when the webhook and the host have a free slot (the pending row's claim makes
/// it this message's); otherwise, and for API calls, a step goes on the delivery queue. A delivery
/// found already under way is left to whoever holds it, except by the message that holds it.
/// </summary>
public sealed class QueueDeliveryScheduler(
    DeliveryStore deliveries,
    DeliveryAttempts attempts,
    DeliverySteps steps,
    EndpointConcurrency concurrency,
    DeliveryLease lease,
    IOptions<QueueDriverOptions> options,
    TimeProvider clock) : IDeliveryScheduler
{
    public async Task<StartResult> StartAsync(DeliveryStart start, CancellationToken cancellationToken)
    {
        var delivery = start.Delivery;
        if (delivery.IsConcluded)
        {
            return StartResult.Done;
        }
        if (start.ProcessedBy is not { } processedBy)
        {
            // An API call (resend, test, recover) answers at once; the delivery queue runs the attempt.
            await steps.EnqueueAsync(StepMessage.For(delivery, delivery.RunAttempt + 1), delivery.NextAttemptAt ?? clock.GetUtcNow(), cancellationToken);
            return StartResult.Done;
        }
        if (!start.IsNew)
        {
            if (delivery.RunAttempt > 0)
            {
                // Under way: only the message that recorded the latest attempt schedules the next one again,
                // so a message seen twice cannot multiply steps.
                if (delivery.ScheduledBy == processedBy && delivery.NextAttemptAt is { } next)
                {
                    await steps.EnqueueAsync(StepMessage.For(delivery, delivery.RunAttempt + 1), next, cancellationToken);
                }
                return StartResult.Done;
            }
            var now = clock.GetUtcNow();
            if (DeliveryLease.IsHeldByAnother(delivery, now, processedBy))
            {
                return StartResult.Busy(delivery.LeaseUntil!.Value);
            }
            var claimed = await deliveries.TryWriteAsync(delivery with { LeaseOwner = processedBy, LeaseUntil = now + lease.Duration }, null, cancellationToken);
            if (claimed is null)
            {
                return StartResult.Busy(now + options.Value.BusyDelay);
            }
            delivery = claimed;
        }
        var slot = await concurrency.TryEnterAsync(delivery.WebhookId, options.Value.InlineSlotWait, cancellationToken);
        if (slot is null)
        {
            // The webhook is at its limit or the host is saturated: hand the claim on to a step.
            await steps.EnqueueAsync(StepMessage.For(delivery, delivery.RunAttempt + 1, claim: processedBy), clock.GetUtcNow(), cancellationToken);
            return StartResult.Done;
        }
        return StartResult.Running(RunAsync(delivery, start, processedBy, slot, cancellationToken));
    }

    private async Task RunAsync(DeliveryRecord delivery, DeliveryStart start, string processedBy, IDisposable slot, CancellationToken cancellationToken)
    {
        DeliveryDecision? decision;
        using (slot)
        {
            decision = await attempts.RunNextAsync(delivery, start.Webhook, start.Event, processedBy, cancellationToken);
        }
        if (decision is DeliveryDecision.Wait wait)
        {
            await steps.EnqueueAsync(StepMessage.For(delivery, wait.NextAttempt), wait.Until, cancellationToken);
        }
    }
}
