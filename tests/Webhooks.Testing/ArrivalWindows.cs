namespace Webhooks.Testing;

/// <summary>How requests to an endpoint bunched up: what rate limits are measured by, in tests and in the benchmark.</summary>
public static class ArrivalWindows
{
    /// <summary>The most arrivals within any window of <paramref name="width"/> (each window starting at an arrival).</summary>
    public static int Busiest(IEnumerable<DateTimeOffset> arrivals, TimeSpan width)
    {
        var sorted = arrivals.Order().ToArray();
        var most = 0;
        var end = 0;
        for (var start = 0; start < sorted.Length; start++)
        {
            while (end < sorted.Length && sorted[end] < sorted[start] + width)
            {
                end++;
            }
            most = Math.Max(most, end - start);
        }
        return most;
    }
}
