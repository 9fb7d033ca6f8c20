using Webhooks.Storage;

namespace Webhooks.Management;

/// <summary>
/// A webhook's deliveries over a window, in hourly buckets by status (by when each delivery was
/// created), with percentiles of the latest attempt's response time over the deliveries that have one,
/// for the whole window and for each hour.
/// </summary>
public sealed record WebhookStats(
    DateTimeOffset From,
    DateTimeOffset To,
    int BucketMinutes,
    IReadOnlyList<StatsBucket> Buckets,
    ResponseTimePercentiles? ResponseTimeMs,
    int Deliveries,
    bool Truncated)
{
    public const int BucketCount = 24;
    public static readonly TimeSpan BucketLength = TimeSpan.FromHours(1);

    /// <summary>The window that ends with the hour <paramref name="now"/> is in: its start is 24 whole hours before that hour's end.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) WindowAt(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var to = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero) + BucketLength;
        return (to - BucketCount * BucketLength, to);
    }

    /// <summary>The stats of <paramref name="deliveries"/> (any order; those outside the window are left out) over the window at <paramref name="now"/>.</summary>
    public static WebhookStats Of(IEnumerable<DeliveryRecord> deliveries, DateTimeOffset now, bool truncated)
    {
        var (from, to) = WindowAt(now);
        var counts = new int[BucketCount, 4];
        var durations = new List<double>();
        var hourly = Enumerable.Range(0, BucketCount).Select(_ => new List<double>()).ToArray();
        var total = 0;
        foreach (var d in deliveries)
        {
            if (d.CreatedAt < from || d.CreatedAt >= to)
            {
                continue;
            }
            total++;
            var bucket = (int)((d.CreatedAt - from) / BucketLength);
            counts[bucket, (int)d.Status]++;
            if (d.LastDuration is { } duration)
            {
                durations.Add(duration.TotalMilliseconds);
                hourly[bucket].Add(duration.TotalMilliseconds);
            }
        }
        var buckets = Enumerable.Range(0, BucketCount).Select(i => new StatsBucket(
            from + i * BucketLength,
            Succeeded: counts[i, (int)DeliveryStatus.Succeeded],
            Failed: counts[i, (int)DeliveryStatus.Failed],
            Exhausted: counts[i, (int)DeliveryStatus.Exhausted],
            Pending: counts[i, (int)DeliveryStatus.Pending],
            ResponseTimeMs: ResponseTimePercentiles.Of(hourly[i]))).ToArray();
        return new WebhookStats(from, to, (int)BucketLength.TotalMinutes, buckets, ResponseTimePercentiles.Of(durations), total, truncated);
    }
}

/// <summary>One hour of a webhook's deliveries, counted by status, with that hour's response-time percentiles (null when none has one).</summary>
public sealed record StatsBucket(DateTimeOffset Start, int Succeeded, int Failed, int Exhausted, int Pending, ResponseTimePercentiles? ResponseTimeMs);

/// <summary>Response-time percentiles in milliseconds, to one decimal.</summary>
public sealed record ResponseTimePercentiles(double P50, double P90, double P99)
{
    /// <summary>The percentiles of <paramref name="milliseconds"/> (linear between the closest ranks), or null when there are none.</summary>
    public static ResponseTimePercentiles? Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return null;
        }
        var sorted = milliseconds.Order().ToArray();
        return new ResponseTimePercentiles(At(sorted, 0.50), At(sorted, 0.90), At(sorted, 0.99));
    }

    private static double At(double[] sorted, double quantile)
    {
        var rank = quantile * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return Math.Round(sorted[below] + (sorted[above] - sorted[below]) * (rank - below), 1);
    }
}
