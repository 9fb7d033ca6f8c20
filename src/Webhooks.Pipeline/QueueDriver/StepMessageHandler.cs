using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.Ingestion;
using Webhooks.Protection;
using Webhooks.Storage;

namespace Webhooks.QueueDriver;

/// <summary>
/// One message of the delivery queue: run the attempt it names if it is still due and nobody else
/// holds the delivery, then enqueue the next step or conclude. A message that finds its attempt
/// already recorded by itself (its runner stopped before deleting it) finishes that runner's job;
/// any other stale or duplicate step just goes.
/// </summary>
public sealed class StepMessageHandler(
    DeliveryStore deliveries,
    WebhookStore webhooks,
    AttemptRunner attempts,
    QueueDeliveryScheduler scheduler,
    StepSender steps,
    EndpointConcurrency concurrency,
    DeliveryLease lease,
    EndpointGate gate,
    PoisonMessages poison,
    IOptions<RetryPolicy> policy,
    QueueProvider queues,
    IOptions<StorageOptions> storage,
    IOptions<QueueDriverOptions> options,
    TimeProvider clock)
{
    // Queue visibility and this host's clock may disagree by a little; a step that early still runs.
    private static readonly TimeSpan EarlyTolerance = TimeSpan.FromMilliseconds(250);

    public async Task<MessageOutcome> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        if (StepMessage.TryDecode(message.Body.ToString()) is not { } step)
        {
            await PoisonAsync(message, "The message is not a delivery step.", cancellationToken);
            return MessageOutcome.Complete;
        }
        if (message.DequeueCount - step.Deferrals > options.Value.MaxDequeueCount)
        {
            // The delivery ends visibly (failed, internal_error) so that recover or resend can take it up again.
            if (await deliveries.GetAsync(step.Key, cancellationToken) is { IsConcluded: false } stuck && stuck.Run == step.Run)
            {
                await deliveries.TryWriteAsync(DeliveryProgress.GivenUp(stuck, clock.GetUtcNow()), null, cancellationToken);
            }
            await PoisonAsync(message, $"Processing failed {message.DequeueCount - step.Deferrals - 1} times; the host's log has each error.", cancellationToken);
            return MessageOutcome.Complete;
        }
        var delivery = await deliveries.GetAsync(step.Key, cancellationToken);
        if (delivery is null || delivery.Run != step.Run || step.Attempt > delivery.RunAttempt + 1)
        {
            // Deleted with its webhook, superseded by a resend, or not a step of this delivery's state.
            return MessageOutcome.Complete;
        }
        if (step.Attempt <= delivery.RunAttempt || delivery.IsConcluded)
        {
            if (delivery.ScheduledBy == message.MessageId && step.Attempt == delivery.RunAttempt)
            {
                await scheduler.ResumeAsync(delivery, cancellationToken);
            }
            return MessageOutcome.Complete;
        }
        var now = clock.GetUtcNow();
        if (delivery.NextAttemptAt is { } due && due > now + EarlyTolerance)
        {
            return Defer(step, due - now);
        }
        if (delivery.IsHeldByAnother(now, step.Claim))
        {
            return Defer(step, delivery.LeaseUntil!.Value - now);
        }
        if (step.NotBefore is { } turn && turn > now)
        {
            if (turn - now > options.Value.HeldWaitInPlace)
            {
                return Hold(step, turn, now);
            }
            await Task.Delay(turn - now, clock, cancellationToken);
        }
        var webhook = await webhooks.GetAsync(delivery.OrganizationId, delivery.WebhookId, cancellationToken);
        Admission? admitted = null;
        if (webhook is { Enabled: true })
        {
            // Asked before the claim: a held delivery is put off without a write, and holds nothing meanwhile.
            admitted = await gate.AdmitAsync(webhook, delivery.DeliveryId, cancellationToken);
            if (admitted.NotBefore is { } until)
            {
                return Hold(step, until, clock.GetUtcNow());
            }
        }
        AttemptResult result;
        DeliveryRecord claimed;
        using (var slot = await concurrency.TryEnterAsync(delivery.WebhookId, options.Value.StepSlotWait, cancellationToken))
        {
            if (slot is null)
            {
                return Defer(step, options.Value.BusyDelay);
            }
            if (await lease.TryClaimAsync(delivery, AttemptHolds.NewOwner(), cancellationToken) is not { } taken)
            {
                return Defer(step, options.Value.BusyDelay);
            }
            claimed = taken;
            result = await attempts.AttemptAsync(AttemptOrder.Next(new DeliveryInHand(claimed, webhook, null), policy.Value, message.MessageId) with { Admitted = admitted }, cancellationToken);
        }
        await steps.FollowAsync(claimed, result, cancellationToken);
        return MessageOutcome.Complete;
    }

    private static MessageOutcome Defer(StepMessage step, TimeSpan delay) =>
        MessageOutcome.RetryAfter(delay, (step with { Deferrals = step.Deferrals + 1 }).Encode());

    private static MessageOutcome Hold(StepMessage step, DateTimeOffset turn, DateTimeOffset now)
    {
        var (held, hideFor) = step.HeldUntil(turn, now);
        return MessageOutcome.RetryAfter(hideFor, held.Encode());
    }

    private async Task PoisonAsync(QueueMessage message, string reason, CancellationToken cancellationToken) =>
        await poison.MoveAsync(await queues.DeliveriesPoisonAsync(cancellationToken), storage.Value.DeliveriesQueue, message, reason, null, cancellationToken);
}
