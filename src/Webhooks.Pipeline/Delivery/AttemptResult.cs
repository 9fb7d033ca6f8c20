namespace Webhooks.Delivery;

/// <summary>
/// What an attempt hands back to its driver, as plain data (no secret, no payload): the attempt's
/// status code and what follows, already recorded on the delivery. The driver only follows it (a
/// step message or a durable timer until <see cref="WaitUntil"/>, then attempt <see cref="NextAttempt"/>;
/// or nothing more), so a Durable orchestrator replays it from history.
/// </summary>
public sealed record AttemptResult(AttemptFollowUp FollowUp, int? StatusCode, DateTimeOffset? WaitUntil, int? NextAttempt, DeliveryEnd? End)
{
    /// <summary>The run is no longer this caller's (a resend started a newer one, the delivery was deleted, or another runner changed it first): nothing to do.</summary>
    public static AttemptResult Superseded { get; } = new(AttemptFollowUp.Superseded, null, null, null, null);

    public static AttemptResult Waiting(int? statusCode, DateTimeOffset until, int nextAttempt) => new(AttemptFollowUp.Wait, statusCode, until, nextAttempt, null);

    /// <summary>The endpoint gate held the attempt back: nothing was sent or recorded; make the same attempt again at <paramref name="until"/>.</summary>
    public static AttemptResult Held(DateTimeOffset until, int attempt) => new(AttemptFollowUp.Held, null, until, attempt, null);

    public static AttemptResult Ended(int? statusCode, DeliveryEnd end) => new(AttemptFollowUp.Ended, statusCode, null, null, end);

    /// <summary>The result of an attempt that observed <paramref name="statusCode"/> and led to <paramref name="decision"/>.</summary>
    public static AttemptResult Of(int? statusCode, DeliveryDecision decision) => decision is DeliveryDecision.Wait wait
        ? Waiting(statusCode, wait.Until, wait.NextAttempt)
        : Ended(statusCode, DeliveryEnd.From(decision));
}

/// <summary>What follows an attempt, for its driver.</summary>
public enum AttemptFollowUp
{
    /// <summary>Wait until <see cref="AttemptResult.WaitUntil"/>, then make attempt <see cref="AttemptResult.NextAttempt"/>.</summary>
    Wait,
    /// <summary>The endpoint is rate-limited, paused or its circuit is open: wait until <see cref="AttemptResult.WaitUntil"/>, then ask for attempt <see cref="AttemptResult.NextAttempt"/> (the same one) again.</summary>
    Held,
    /// <summary>The run ended as <see cref="AttemptResult.End"/>, recorded and applied (history, auto-disable).</summary>
    Ended,
    /// <summary>A newer run, the delivery's deletion or another runner took over; this caller stops without concluding anything.</summary>
    Superseded,
}
