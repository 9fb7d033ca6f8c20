using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Webhooks.Testing;

namespace Webhooks.Bench;

/// <summary>
/// The customer endpoints: Kestrel on 127.0.0.1. <c>/ok/…</c> answers 200 at once, <c>/dead</c> never
/// answers (until the caller gives up), <c>/throttle/…</c> answers 429 with <c>Retry-After: 2</c> until
/// <see cref="ThrottleUntil"/>, <c>/down/…</c> drops the connection until <see cref="DownUntil"/>.
/// Every request answered 200 is recorded by its <c>webhook-id</c> (the delivery id) with the time it arrived.
/// </summary>
public sealed class BenchReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Arrival> arrivals = new(StringComparer.Ordinal);
    private long requests;
    private long deadRequests;
    private long throttled;
    private long refused;
    private long ticksThrottleUntil;
    private long ticksDownUntil;

    private LoopbackServer server = null!;

    private BenchReceiver()
    {
    }

    public Uri BaseUrl => server.BaseUrl;

    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Requests that reached <c>/dead</c>.</summary>
    public long DeadRequests => Interlocked.Read(ref deadRequests);

    public int Distinct => arrivals.Count;

    /// <summary>Requests answered 429 on <c>/throttle</c>.</summary>
    public long Throttled => Interlocked.Read(ref throttled);

    /// <summary>Requests whose connection <c>/down</c> dropped.</summary>
    public long Refused => Interlocked.Read(ref refused);

    public DateTimeOffset ThrottleUntil
    {
        get => new(Interlocked.Read(ref ticksThrottleUntil), TimeSpan.Zero);
        set => Interlocked.Exchange(ref ticksThrottleUntil, value.UtcTicks);
    }

    public DateTimeOffset DownUntil
    {
        get => new(Interlocked.Read(ref ticksDownUntil), TimeSpan.Zero);
        set => Interlocked.Exchange(ref ticksDownUntil, value.UtcTicks);
    }

    public static async Task<BenchReceiver> StartAsync()
    {
        var receiver = new BenchReceiver();
        receiver.server = await LoopbackServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    public Uri UrlOf(string path) => new(BaseUrl, path);

    /// <summary>When <paramref name="deliveryId"/> first arrived, or null.</summary>
    public DateTimeOffset? FirstArrival(string deliveryId) => arrivals.TryGetValue(deliveryId, out var a) ? a.First : null;

    public bool HasAll(IEnumerable<string> deliveryIds) => deliveryIds.All(arrivals.ContainsKey);

    public int CountOf(IEnumerable<string> deliveryIds) => deliveryIds.Count(arrivals.ContainsKey);

    /// <summary>How many of <paramref name="deliveryIds"/> arrived more than once.</summary>
    public int Repeated(IEnumerable<string> deliveryIds) => deliveryIds.Count(id => arrivals.TryGetValue(id, out var a) && a.Count > 1);

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = DateTimeOffset.UtcNow;
        Interlocked.Increment(ref requests);
        await context.Request.Body.CopyToAsync(Stream.Null);
        if (context.Request.Path.StartsWithSegments("/dead", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref deadRequests);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
            return;
        }
        if (context.Request.Path.StartsWithSegments("/throttle", StringComparison.Ordinal) && arrived < ThrottleUntil)
        {
            Interlocked.Increment(ref throttled);
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "2";
            return;
        }
        if (context.Request.Path.StartsWithSegments("/down", StringComparison.Ordinal) && arrived < DownUntil)
        {
            Interlocked.Increment(ref refused);
            context.Abort();
            return;
        }
        var id = context.Request.Headers["webhook-id"].ToString();
        arrivals.AddOrUpdate(id, _ => new Arrival(arrived, 1), (_, a) => a with { Count = a.Count + 1 });
        context.Response.StatusCode = 200;
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private sealed record Arrival(DateTimeOffset First, int Count);
}
