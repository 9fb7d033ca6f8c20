namespace Webhooks.Management;

/// <summary>Settings section <c>Webhooks:Dashboard</c>: what the dashboard's read endpoints may cost.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Webhooks:Dashboard";

    public const int MaxStatsDeliveriesLimit = 100_000;

    /// <summary>What a start-up that finds a setting out of range says.</summary>
    public static readonly string RangesMessage = $"{Section}: {nameof(StatsMaxDeliveries)} must be from 1 to {MaxStatsDeliveriesLimit}.";

    public bool IsInRange() => StatsMaxDeliveries is >= 1 and <= MaxStatsDeliveriesLimit;

    /// <summary>
    /// The most delivery rows one stats request reads, newest first (one table request per 1,000);
    /// a webhook with more deliveries in the window gets stats of its newest ones, marked truncated.
    /// </summary>
    public int StatsMaxDeliveries { get; set; } = 5_000;
}
