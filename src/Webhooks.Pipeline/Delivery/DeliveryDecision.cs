namespace Webhooks.Delivery;

/// <summary>What happens after an attempt: wait and try again, or conclude.</summary>
public abstract record DeliveryDecision
{
    private DeliveryDecision()
    {
    }

    /// <summary>Attempt <paramref name="NextAttempt"/> at <paramref name="Until"/>.</summary>
    public sealed record Wait(DateTimeOffset Until, int NextAttempt) : DeliveryDecision;

    /// <summary>The endpoint accepted the delivery.</summary>
    public sealed record Succeeded : DeliveryDecision;

    /// <summary>The delivery ends without success; <paramref name="DisableWebhook"/> when the endpoint said it is gone for good.</summary>
    public sealed record Failed(FailureReason Reason, bool DisableWebhook) : DeliveryDecision;
}

/// <summary>Why a delivery ended without success.</summary>
public enum FailureReason
{
    /// <summary>Every attempt of the schedule failed.</summary>
    Exhausted,
    /// <summary>The endpoint answered 410 Gone.</summary>
    Gone,
    /// <summary>Nothing was sent: the webhook was disabled (or deleted) before the attempt.</summary>
    WebhookDisabled,
    /// <summary>The SSRF guard refused the destination: the run ends on that attempt, and counts toward auto-disable like an exhausted run.</summary>
    DestinationNotAllowed,
}
