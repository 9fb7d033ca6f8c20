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
public sealed record AttemptActivityInput(DeliveryTicket Ticket, int Attempt)
{
    /// <summary>The attempt as the library runs it: decided with the run's own policy, the row read afresh.</summary>
    public AttemptOrder ToOrder() => new(Ticket.Key, Ticket.Run, Attempt, Ticket.Policy.ToPolicy());
}

/// <summary>The input of the conclusion activity: how the run ended.</summary>
public sealed record ConclusionActivityInput(DeliveryTicket Ticket, DeliveryEnd End);
