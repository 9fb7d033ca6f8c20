using Webhooks.Delivery;
using Webhooks.Storage;

namespace Webhooks.DurableDriver;

/// <summary>
/// What a Durable orchestration of one delivery run is given: where the delivery is, which run,
/// and the retry policy as it was when the run started, so replays decide exactly as the first
/// execution did even if the configuration changes meanwhile. No secret, no payload.
/// </summary>
public sealed record DeliveryTicket(string OrganizationId, string WebhookId, string DeliveryId, int Run, RetrySnapshot Policy)
{
    public DeliveryKey Key => new(OrganizationId, WebhookId, DeliveryId);

    /// <summary>The orchestration instance id: the delivery id for its first run, so a re-processed event starts nothing twice; one per resend after that.</summary>
    public string InstanceId => Run == 1 ? DeliveryId : $"{DeliveryId}-run{Run}";

    public static DeliveryTicket For(DeliveryRecord delivery, RetryPolicy policy) =>
        new(delivery.OrganizationId, delivery.WebhookId, delivery.DeliveryId, delivery.Run, RetrySnapshot.Of(policy));
}

/// <summary>A retry policy as plain data, for orchestration inputs.</summary>
public sealed record RetrySnapshot(IReadOnlyList<TimeSpan> Schedule, double JitterFraction, TimeSpan RetryAfterCap)
{
    public static RetrySnapshot Of(RetryPolicy policy) => new([.. policy.Schedule], policy.JitterFraction, policy.RetryAfterCap);

    public RetryPolicy ToPolicy() => new() { Schedule = [.. Schedule], JitterFraction = JitterFraction, RetryAfterCap = RetryAfterCap };
}

/// <summary>The input of the attempt activity: attempt <paramref name="Attempt"/> (1-based, within the run) of the ticket's delivery.</summary>
public sealed record AttemptRequest(DeliveryTicket Ticket, int Attempt);

/// <summary>The input of the conclusion activity: how the run ended.</summary>
public sealed record ConclusionRequest(DeliveryTicket Ticket, DeliveryEnd End);

/// <summary>
/// What the attempt activity hands back to the orchestrator, as plain data (no secret, no payload):
/// the attempt's status code and what follows, already recorded on the delivery. The orchestrator
/// only follows it: a durable timer until <see cref="WaitUntil"/> and then attempt
/// <see cref="NextAttempt"/>, or the end of the run.
/// </summary>
public sealed record AttemptResult(AttemptFollowUp FollowUp, int? StatusCode, DateTimeOffset? WaitUntil, int? NextAttempt, DeliveryEnd? End)
{
    /// <summary>The run is no longer this orchestration's (a resend started a newer one, or the delivery was deleted): nothing to do.</summary>
    public static AttemptResult Superseded { get; } = new(AttemptFollowUp.Superseded, null, null, null, null);

    public static AttemptResult Waiting(int? statusCode, DateTimeOffset until, int nextAttempt) => new(AttemptFollowUp.Wait, statusCode, until, nextAttempt, null);

    public static AttemptResult Ended(int? statusCode, DeliveryEnd end) => new(AttemptFollowUp.Ended, statusCode, null, null, end);

    /// <summary>The result of an attempt that observed <paramref name="statusCode"/> and led to <paramref name="decision"/>.</summary>
    public static AttemptResult Of(int? statusCode, DeliveryDecision decision) => decision is DeliveryDecision.Wait wait
        ? Waiting(statusCode, wait.Until, wait.NextAttempt)
        : Ended(statusCode, DeliveryEnd.From(decision));
}

/// <summary>What follows an attempt of a Durable run.</summary>
public enum AttemptFollowUp
{
    /// <summary>Wait until <see cref="AttemptResult.WaitUntil"/>, then make attempt <see cref="AttemptResult.NextAttempt"/>.</summary>
    Wait,
    /// <summary>The run ended as <see cref="AttemptResult.End"/>, recorded and applied (history, auto-disable).</summary>
    Ended,
    /// <summary>A newer run (or the delivery's deletion) took over; this run stops without concluding anything.</summary>
    Superseded,
}

/// <summary>How a run ended, as plain data (a <see cref="DeliveryDecision"/> other than Wait).</summary>
public sealed record DeliveryEnd(bool Succeeded, FailureReason? Failure)
{
    public static DeliveryEnd From(DeliveryDecision decision) => decision switch
    {
        DeliveryDecision.Succeeded => new(true, null),
        DeliveryDecision.Failed failed => new(false, failed.Reason),
        _ => throw new ArgumentException("A run that waits has not ended.", nameof(decision)),
    };

    public DeliveryDecision ToDecision() => Succeeded
        ? new DeliveryDecision.Succeeded()
        : new DeliveryDecision.Failed(Failure ?? FailureReason.Exhausted, DisableWebhook: Failure == FailureReason.Gone);
}
