using Webhooks.Storage;

namespace Webhooks.Delivery;

/// <summary>How a delivery's record moves on after an attempt and the decision about it: one pure rule for both hosts.</summary>
public static class DeliveryProgress
{
    /// <summary>
    /// The record after <paramref name="attempt"/> (null when nothing was sent) and
    /// <paramref name="decision"/> (null when the caller decides later, as a Durable orchestrator does).
    /// </summary>
    public static DeliveryRecord After(DeliveryRecord delivery, AttemptRecord? attempt, DeliveryDecision? decision, DateTimeOffset now)
    {
        var progressed = attempt is null
            ? delivery
            : delivery with { AttemptCount = attempt.Number, RunAttempt = attempt.RunAttempt, LastStatusCode = attempt.ResponseStatus, LastDuration = attempt.Duration };
        return decision switch
        {
            DeliveryDecision.Wait wait => progressed with { Status = DeliveryStatus.Pending, NextAttemptAt = wait.Until },
            DeliveryDecision.Succeeded => progressed with { Status = DeliveryStatus.Succeeded, NextAttemptAt = null, FinishedAt = now, FailureReason = null },
            DeliveryDecision.Failed failed => progressed with
            {
                Status = failed.Reason == FailureReason.Exhausted ? DeliveryStatus.Exhausted : DeliveryStatus.Failed,
                NextAttemptAt = null,
                FinishedAt = now,
                FailureReason = CodeOf(failed.Reason),
            },
            _ => progressed with { NextAttemptAt = null },
        };
    }

    /// <summary>A resend: the same delivery id in a new run, due now, with its schedule starting over.</summary>
    public static DeliveryRecord Resent(DeliveryRecord delivery, DateTimeOffset now) => delivery with
    {
        Status = DeliveryStatus.Pending,
        Run = delivery.Run + 1,
        RunAttempt = 0,
        RunStartedAt = now,
        NextAttemptAt = now,
        FinishedAt = null,
        FailureReason = null,
        LeaseOwner = null,
        LeaseUntil = null,
        ScheduledBy = null,
    };

    /// <summary>The failure reason of a delivery the pipeline itself could not carry out (its step kept failing).</summary>
    public const string InternalError = "internal_error";

    /// <summary>A delivery given up on for a fault of the pipeline's, not the endpoint's: failed and recoverable, no effect on the webhook's health.</summary>
    public static DeliveryRecord GivenUp(DeliveryRecord delivery, DateTimeOffset now) => delivery with
    {
        Status = DeliveryStatus.Failed,
        FailureReason = InternalError,
        NextAttemptAt = null,
        FinishedAt = now,
        LeaseOwner = null,
        LeaseUntil = null,
    };

    /// <summary>How a concluded delivery's current run ended, read back from its record (a failure the pipeline gave up on has no <see cref="FailureReason"/>).</summary>
    public static DeliveryEnd EndOf(DeliveryRecord concluded)
    {
        if (!concluded.IsConcluded)
        {
            throw new ArgumentException($"Delivery {concluded.DeliveryId} has not concluded.", nameof(concluded));
        }
        return concluded.Status == DeliveryStatus.Succeeded
            ? new DeliveryEnd(true, null)
            : new DeliveryEnd(false, Enum.GetValues<FailureReason>().Cast<FailureReason?>().FirstOrDefault(r => CodeOf(r!.Value) == concluded.FailureReason));
    }

    /// <summary>The API spelling of a failure reason.</summary>
    public static string CodeOf(FailureReason reason) => reason switch
    {
        FailureReason.Exhausted => "exhausted",
        FailureReason.Gone => "gone",
        FailureReason.WebhookDisabled => "webhook_disabled",
        FailureReason.DestinationNotAllowed => "destination_not_allowed",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>The API spelling of a status.</summary>
    public static string CodeOf(DeliveryStatus status) => status.ToString().ToLowerInvariant();
}
