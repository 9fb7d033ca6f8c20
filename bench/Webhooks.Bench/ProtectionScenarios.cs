using System.Net.Http.Json;
using Azure.Storage.Queues;
using Webhooks.Testing;

namespace Webhooks.Bench;

/// <summary>
/// Endpoint protection, each scenario twice on a host of its own: before (today's behaviour without
/// it: no rate limit, no slow-down, no breaker) and after (the defaults, the burst's webhook
/// limited). A burst to one limited endpoint beside healthy ones; an endpoint answering 429 with
/// <c>Retry-After: 2</c> for a while; an endpoint down for a while with deliveries queued.
/// </summary>
public static class ProtectionScenarios
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(12);

    /// <summary>Host settings that turn protection off: what the pipeline did before it.</summary>
    private static readonly Dictionary<string, string> Off = new()
    {
        ["Webhooks:Protection:AdaptiveSlowDown"] = "false",
        ["Webhooks:Protection:CircuitThreshold"] = "0",
    };

    private const double HealthyEventsPerSecond = 2;
    private const int HealthyWebhooks = 5;

    public static async Task<ProtectionResult> RunAsync(string connectionString, BenchReceiver receiver, IReadOnlyDictionary<string, string> hostSettings, BenchSizes sizes, ProtectionSizes protection, HostKind kind, string eventsQueue)
    {
        var path = kind == HostKind.Standalone ? "P" : "DP";
        async Task<T> OnHostAsync<T>(bool on, Func<BenchRun, Task<T>> scenario)
        {
            // Queues of their own, so no other host of the run takes their steps.
            var settings = new Dictionary<string, string>(hostSettings) { ["Webhooks:Storage:DeliveriesQueue"] = eventsQueue + "-steps" };
            foreach (var (key, value) in on ? [] : Off)
            {
                settings[key] = value;
            }
            await using var host = await BenchHost.StartAsync(connectionString, settings, kind, eventsQueue);
            var events = new QueueClient(connectionString, eventsQueue);
            await events.CreateIfNotExistsAsync();
            return await scenario(new BenchRun(sizes, connectionString, host, receiver, new EventSource(host, events), () => TimeSpan.Zero));
        }
        Console.WriteLine($"{path}1. Burst to one endpoint, before and after...");
        var burstBefore = await OnHostAsync(false, run => BurstAsync(run, $"{path}-burst-before", null, protection));
        var burstAfter = await OnHostAsync(true, run => BurstAsync(run, $"{path}-burst-after", protection.BurstLimit, protection));
        Console.WriteLine($"{path}2. An endpoint answering 429, before and after...");
        var throttleBefore = await OnHostAsync(false, run => ThrottledAsync(run, $"{path}-429-before", protection));
        var throttleAfter = await OnHostAsync(true, run => ThrottledAsync(run, $"{path}-429-after", protection));
        Console.WriteLine($"{path}3. An endpoint down with deliveries queued, before and after...");
        var downBefore = await OnHostAsync(false, run => DownAsync(run, $"{path}-down-before", protection));
        var downAfter = await OnHostAsync(true, run => DownAsync(run, $"{path}-down-after", protection));
        return new ProtectionResult(protection, burstBefore, burstAfter, throttleBefore, throttleAfter, downBefore, downAfter);
    }

    /// <summary>
    /// A burst of deliveries to one endpoint (one event each), limited or not, with healthy endpoints
    /// of another organization published to at a steady rate beside it; their latency is compared
    /// with the same stream's alone just before.
    /// </summary>
    private static async Task<BurstResult> BurstAsync(BenchRun run, string org, int? limit, ProtectionSizes sizes)
    {
        var target = await run.Source.CreateWebhooksAsync(org, [run.Receiver.UrlOf($"/ok/{org}")]);
        if (limit is { } perSecond)
        {
            (await run.Host.Api.PatchAsJsonAsync($"/api/orgs/{org}/webhooks/{target[0]}", new { rateLimit = perSecond })).EnsureSuccessStatusCode();
        }
        var healthyOrg = org + "-healthy";
        var healthy = await run.Source.CreateWebhooksAsync(healthyOrg, BenchRun.Urls(run.Receiver, healthyOrg, HealthyWebhooks));
        await run.WaitForAllAsync(await run.PublishBurstAsync(healthyOrg, healthy, 5), Patience);
        var alone = await run.PublishAtRateAsync(healthyOrg, healthy, (int)(HealthyEventsPerSecond * sizes.HealthyFor.TotalSeconds), HealthyEventsPerSecond);
        await run.WaitForAllAsync(alone, Patience);

        var bursting = run.PublishBurstAsync(org, target, sizes.BurstDeliveries);
        var beside = await run.PublishAtRateAsync(healthyOrg, healthy, (int)(HealthyEventsPerSecond * sizes.HealthyFor.TotalSeconds), HealthyEventsPerSecond);
        var burst = await bursting;
        var complete = await run.WaitForAllAsync([.. burst, .. beside], Patience);
        var arrivals = burst.SelectMany(e => e.Deliveries).Select(run.Receiver.FirstArrival).OfType<DateTimeOffset>().Order().ToArray();
        var drain = arrivals.Length == 0 ? double.NaN : (arrivals[^1] - burst.Min(e => e.SentAt)).TotalSeconds;
        var aloneLatency = Stats.Of([.. alone.SelectMany(e => e.Latencies(run.Receiver))]);
        var besideLatency = Stats.Of([.. beside.SelectMany(e => e.Latencies(run.Receiver))]);
        return new BurstResult(sizes.BurstDeliveries, limit, Busiest(arrivals, TimeSpan.FromSeconds(1)), Busiest(arrivals, TimeSpan.FromSeconds(10)) / 10.0,
            drain, aloneLatency, besideLatency, besideLatency.P99 / aloneLatency.P99, complete);
    }

    /// <summary>Deliveries to an endpoint that answers 429 with <c>Retry-After: 2</c> for a while, then 200: attempts spent and the time to drain.</summary>
    private static async Task<ThrottleResult> ThrottledAsync(BenchRun run, string org, ProtectionSizes sizes)
    {
        var target = await run.Source.CreateWebhooksAsync(org, [run.Receiver.UrlOf($"/throttle/{org}")]);
        var (requests, throttled) = (run.Receiver.Requests, run.Receiver.Throttled);
        run.Receiver.ThrottleUntil = DateTimeOffset.UtcNow + sizes.ThrottleFor;
        var published = await run.PublishBurstAsync(org, target, sizes.ThrottleDeliveries);
        var complete = await run.WaitForAllAsync(published, Patience);
        var drain = published.SelectMany(e => e.Deliveries).Select(run.Receiver.FirstArrival).OfType<DateTimeOffset>().DefaultIfEmpty().Max() - published.Min(e => e.SentAt);
        var attempts = run.Receiver.Requests - requests;
        return new ThrottleResult(sizes.ThrottleDeliveries, run.Receiver.Throttled - throttled, attempts, (double)attempts / sizes.ThrottleDeliveries, drain.TotalSeconds, complete);
    }

    /// <summary>Deliveries queued to an endpoint that is down (connections dropped) for a while, then up: attempts spent, and how soon after it is back they arrive.</summary>
    private static async Task<DownResult> DownAsync(BenchRun run, string org, ProtectionSizes sizes)
    {
        var target = await run.Source.CreateWebhooksAsync(org, [run.Receiver.UrlOf($"/down/{org}")]);
        var (requests, refused) = (run.Receiver.Requests, run.Receiver.Refused);
        var up = DateTimeOffset.UtcNow + sizes.DownFor;
        run.Receiver.DownUntil = up;
        var published = await run.PublishBurstAsync(org, target, sizes.DownDeliveries);
        var complete = await run.WaitForAllAsync(published, Patience);
        var ids = published.SelectMany(e => e.Deliveries).ToArray();
        var arrivals = ids.Select(run.Receiver.FirstArrival).OfType<DateTimeOffset>().Order().ToArray();
        var to99 = arrivals.Length == 0 ? double.NaN : (arrivals[Math.Max(0, (int)Math.Ceiling(arrivals.Length * 0.99) - 1)] - up).TotalSeconds;
        var attempts = run.Receiver.Requests - requests;
        return new DownResult(ids.Length, run.Receiver.Refused - refused, attempts, to99, ids.Length - run.Receiver.CountOf(ids), run.Receiver.Repeated(ids), complete);
    }

    private static int Busiest(DateTimeOffset[] sorted, TimeSpan width) => ArrivalWindows.Busiest(sorted, width);
}

/// <summary>How big the protection scenarios are on one path.</summary>
public sealed record ProtectionSizes(int BurstDeliveries, int BurstLimit, TimeSpan HealthyFor, int ThrottleDeliveries, TimeSpan ThrottleFor, int DownDeliveries, TimeSpan DownFor)
{
    /// <summary>The figures: 5,000 at 50/s; 429 for 30 s; down 60 s with 2,000 queued.</summary>
    public static ProtectionSizes Standalone { get; } = new(5_000, 50, TimeSpan.FromSeconds(30), 1_000, TimeSpan.FromSeconds(30), 2_000, TimeSpan.FromSeconds(60));

    /// <summary>The Durable path on Azurite runs an order of magnitude slower: the same shapes, smaller.</summary>
    public static ProtectionSizes Durable { get; } = new(300, 5, TimeSpan.FromSeconds(30), 200, TimeSpan.FromSeconds(30), 300, TimeSpan.FromSeconds(60));

    /// <summary>Just enough to produce every figure; the windows stay under the first retry (5 s), so the runs before protection end in seconds.</summary>
    public static ProtectionSizes Smoke { get; } = new(40, 20, TimeSpan.FromSeconds(2), 10, TimeSpan.FromSeconds(2), 10, TimeSpan.FromSeconds(3));
}

public sealed record ProtectionResult(ProtectionSizes Sizes, BurstResult BurstBefore, BurstResult BurstAfter, ThrottleResult ThrottleBefore, ThrottleResult ThrottleAfter, DownResult DownBefore, DownResult DownAfter)
{
    public bool Complete => BurstBefore.Complete && BurstAfter.Complete && ThrottleBefore.Complete && ThrottleAfter.Complete && DownBefore.Complete && DownAfter.Complete;
}

/// <summary>A burst to one endpoint: its busiest second and busiest 10 s (per second), the time to drain, and healthy endpoints' latency alone and beside it.</summary>
public sealed record BurstResult(int Deliveries, int? Limit, int BusiestSecond, double BusiestTenSecondsPerSecond, double DrainSeconds, Percentiles HealthyAlone, Percentiles HealthyBeside, double HealthyP99Ratio, bool Complete);

public sealed record ThrottleResult(int Deliveries, long Answers429, long Attempts, double AttemptsPerDelivery, double DrainSeconds, bool Complete);

public sealed record DownResult(int Deliveries, long FailedAttempts, long Attempts, double SecondsFromRecoveryTo99Percent, int NotDelivered, int Repeated, bool Complete);
