namespace Webhooks.Management;

/// <summary>Settings section <c>Webhooks:Quotas</c>: what one organization may use.</summary>
public sealed class QuotaOptions
{
    public const string Section = "Webhooks:Quotas";

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
