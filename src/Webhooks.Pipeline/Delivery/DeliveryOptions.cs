namespace Webhooks.Delivery;

/// <summary>Settings section <c>Webhooks:Delivery</c>: how deliveries share the host and when endpoints are given up on.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Webhooks:Delivery";

    /// <summary>
    /// A webhook with no successful delivery for this long, during which a delivery exhausted its
    /// retries, is disabled. Any success resets the clock; so does re-enabling it.
    /// </summary>
    public TimeSpan AutoDisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How often webhooks' last-triggered time and status code are written back (coalesced, not per delivery).</summary>
    public TimeSpan ActivityFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts in flight at once in one process, over every endpoint.</summary>
    public int MaxConcurrentAttempts { get; set; } = 64;

    /// <summary>Attempts in flight at once to one webhook, so a slow or dead endpoint cannot take the others' share.</summary>
    public int MaxConcurrentAttemptsPerWebhook { get; set; } = 16;

    /// <summary>How many of an event's deliveries are recorded and started at once.</summary>
    public int FanOutParallelism { get; set; } = 32;

    /// <summary>
    /// How long past the sending timeout a runner's claim on a delivery lasts; another runner takes
    /// over a delivery only once its claim has lapsed.
    /// </summary>
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(30);
}
