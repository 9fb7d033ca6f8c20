using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Protection;
using Webhooks.Storage;

namespace Webhooks.QueueDriver;

/// <summary>
/// The standalone host's way to start deliveries. From a fan-out, the first attempt runs at once
/// in this process when the webhook and the host have a free slot (the pending row's claim makes
/// it this processing's); otherwise, and for API calls, a step goes on the delivery queue. A
/// delivery found already under way is left to whoever holds it, except by the message that
/// recorded its latest attempt, which finishes what that processing left undone.
/// </summary>
public sealed class QueueDeliveryScheduler(
    AttemptRunner attempts,
    DeliveryConclusions conclusions,
    StepSender steps,
    EndpointConcurrency concurrency,
    DeliveryLease lease,
    EndpointGate gate,
    IOptions<RetryPolicy> policy,
    IOptions<QueueDriverOptions> options,
    TimeProvider clock) : IDeliveryScheduler
{
    public async Task<StartResult> StartAsync(DeliveryStart start, CancellationToken cancellationToken)
    {
        var delivery = start.Delivery;
        if (start.ProcessedBy is not { } processedBy || start.Claim is not { } claim)
        {
            if (!delivery.IsConcluded)
            {
                // An API call (resend, test, recover) answers at once; the delivery queue runs the attempt.
                await steps.EnqueueAsync(StepMessage.For(delivery, delivery.RunAttempt + 1), delivery.NextAttemptAt ?? clock.GetUtcNow(), cancellationToken);
            }
            return StartResult.Done;
        }
        if (!start.IsNew)
        {
            if (delivery.ScheduledBy == processedBy)
            {
                await ResumeAsync(delivery, cancellationToken);
                return StartResult.Done;
            }
            if (delivery.IsConcluded || delivery.RunAttempt > 0)
            {
                // Concluded, or under way with a step of its own.
                return StartResult.Done;
            }
            if (delivery.IsHeldByAnother(clock.GetUtcNow(), claim))
            {
                return StartResult.Busy(delivery.LeaseUntil!.Value);
            }
            if (await lease.TryClaimAsync(delivery, claim, cancellationToken) is not { } claimed)
            {
                return StartResult.Busy(clock.GetUtcNow() + options.Value.BusyDelay);
            }
            delivery = claimed;
        }
        var slot = await concurrency.TryEnterAsync(delivery.WebhookId, options.Value.InlineSlotWait, cancellationToken);
        if (slot is null)
        {
            // The webhook is at its limit or the host is saturated: hand the claim on to a step.
            await steps.EnqueueAsync(StepMessage.For(delivery, delivery.RunAttempt + 1, claim), clock.GetUtcNow(), cancellationToken);
            return StartResult.Done;
        }
        Admission? admitted = null;
        if (start.Webhook is { Enabled: true } webhook)
        {
            try
            {
                admitted = await gate.AdmitAsync(webhook, delivery.DeliveryId, cancellationToken);
            }
            catch
            {
                slot.Dispose();
                throw;
            }
            if (admitted.NotBefore is { } turn)
            {
                // Held by the endpoint's protection: its turn comes as a step, which takes the claim over.
                slot.Dispose();
                await steps.EnqueueHeldAsync(StepMessage.For(delivery, delivery.RunAttempt + 1, claim), turn, cancellationToken);
                return StartResult.Done;
            }
        }
        return StartResult.Running(RunAsync(delivery, start, processedBy, slot, admitted, cancellationToken));
    }

    /// <summary>
    /// What the processing that recorded the delivery's latest attempt would have done next, had it
    /// not stopped before its message was deleted: apply the conclusion, or enqueue the next step.
    /// Both are safe to do twice.
    /// </summary>
    public async Task ResumeAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        if (delivery.IsConcluded)
        {
            await conclusions.ApplyAsync(delivery, cancellationToken);
        }
        else if (delivery.NextAttemptAt is { } next)
        {
            await steps.EnqueueAsync(StepMessage.For(delivery, delivery.RunAttempt + 1), next, cancellationToken);
        }
    }

    private async Task RunAsync(DeliveryRecord delivery, DeliveryStart start, string processedBy, IDisposable slot, Admission? admitted, CancellationToken cancellationToken)
    {
        AttemptResult result;
        using (slot)
        {
            result = await attempts.AttemptAsync(AttemptOrder.Next(new DeliveryInHand(delivery, start.Webhook, start.Event), policy.Value, processedBy) with { Admitted = admitted }, cancellationToken);
        }
        await steps.FollowAsync(delivery, result, cancellationToken);
    }
}
