namespace Webhooks.Management;

/// <summary>Settings section <c>Webhooks:Quotas</c>: what one organization may use.</summary>
public sealed class QuotaOptions
{
    public const string Section = "Webhooks:Quotas";

    // Bounds checked at start-up: a rate far below them makes a refill period no timer can hold, and
    // values above them overflow the limiter's whole-token counts or mean no limit at all.
    public const int MaxWebhooksLimit = 100_000;
    public const double MinEventsPerSecond = 0.001;
    public const double MaxEventsPerSecond = 1_000_000;
    public const int MaxEventBurst = 1_000_000;

    /// <summary>What a start-up that finds a setting out of range says.</summary>
    public static readonly string RangesMessage = string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Section}: {nameof(MaxWebhooksPerOrganization)} must be from 1 to {MaxWebhooksLimit}, {nameof(EventsPerSecondPerOrganization)} from {MinEventsPerSecond} to {MaxEventsPerSecond}, {nameof(EventBurstPerOrganization)} from 1 to {MaxEventBurst}.");

    public bool IsInRange() =>
        MaxWebhooksPerOrganization is >= 1 and <= MaxWebhooksLimit
        && EventsPerSecondPerOrganization is >= MinEventsPerSecond and <= MaxEventsPerSecond
        && EventBurstPerOrganization is >= 1 and <= MaxEventBurst;

    /// <summary>
    /// The most webhooks one organization may have; creating one more answers 409. Held exactly,
    /// across instances and under concurrent creates (a count row written in the same transaction).
    /// </summary>
    public int MaxWebhooksPerOrganization { get; set; } = 100;

    /// <summary>
    /// Events one organization may publish per second over HTTP, on each instance (a token bucket in
    /// memory; the queue is not limited). A fraction below 1 allows one event every 1/rate seconds;
    /// above 1 it is rounded down to a whole number.
    /// </summary>
    public double EventsPerSecondPerOrganization { get; set; } = 100;

    /// <summary>Events one organization may publish over HTTP at once, before the rate applies (the bucket's size).</summary>
    public int EventBurstPerOrganization { get; set; } = 200;
}
