namespace Webhooks.Delivery;

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
