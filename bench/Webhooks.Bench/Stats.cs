namespace Webhooks.Bench;

/// <summary>Percentiles of a sample (nearest rank), for latencies.</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyCollection<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static Percentiles Of(IReadOnlyCollection<double> values) =>
        new(Percentile(values, 50), Percentile(values, 95), Percentile(values, 99), values.Count);
}

/// <summary>p50 / p95 / p99 in milliseconds, over <see cref="Count"/> samples.</summary>
public sealed record Percentiles(double P50, double P95, double P99, int Count);
