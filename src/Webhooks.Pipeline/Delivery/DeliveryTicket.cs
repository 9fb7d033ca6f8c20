using Webhooks.Storage;

namespace Webhooks.Delivery;

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
