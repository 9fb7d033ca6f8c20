using Webhooks.Events;
using Webhooks.Model;
using Webhooks.Storage;

namespace Webhooks.Delivery;

/// <summary>
/// How a host runs deliveries: the standalone host with queue steps (and the first attempt at
/// once when it can), the Functions app with a Durable orchestration per delivery. Starting a
/// delivery that is already under way must not run it twice.
/// </summary>
public interface IDeliveryScheduler
{
    Task<StartResult> StartAsync(DeliveryStart start, CancellationToken cancellationToken);
}

/// <summary>
/// A pending delivery to start. <paramref name="IsNew"/> when this caller just recorded it (with
/// <paramref name="Claim"/>, this processing's claim token, as its lease); <paramref name="ProcessedBy"/>
/// is the id of the queue message whose processing started it (null for API calls: resend, test, recover).
/// </summary>
public sealed record DeliveryStart(DeliveryRecord Delivery, Webhook? Webhook, WebhookEvent? Event, bool IsNew, string? ProcessedBy, string? Claim = null);

/// <summary>
/// What starting did: <see cref="Completion"/> finishes when the start is durable (an attempt run
/// in place recorded, or a step enqueued); <see cref="BusyUntil"/> says another runner holds the
/// delivery, so the caller must keep its own message until then.
/// </summary>
public sealed record StartResult(Task Completion, DateTimeOffset? BusyUntil)
{
    public static StartResult Done { get; } = new(Task.CompletedTask, null);

    public static StartResult Running(Task completion) => new(completion, null);

    public static StartResult Busy(DateTimeOffset until) => new(Task.CompletedTask, until);
}
