using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Webhooks.Testing;

namespace Webhooks.Bench;

/// <summary>
/// The customer endpoints: Kestrel on 127.0.0.1. <c>/ok/…</c> answers 200 at once, <c>/dead</c> never
/// answers (until the caller gives up). Every request is recorded by its <c>webhook-id</c> (the
/// delivery id) with the time it arrived.
/// </summary>
public sealed class BenchReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Arrival> arrivals = new(StringComparer.Ordinal);
    private long requests;
    private long deadRequests;

    private LoopbackServer server = null!;

    private BenchReceiver()
    {
    }

    public Uri BaseUrl => server.BaseUrl;

    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Requests that reached <c>/dead</c>.</summary>
    public long DeadRequests => Interlocked.Read(ref deadRequests);

    public int Distinct => arrivals.Count;

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
        var id = context.Request.Headers["webhook-id"].ToString();
        arrivals.AddOrUpdate(id, _ => new Arrival(arrived, 1), (_, a) => a with { Count = a.Count + 1 });
        context.Response.StatusCode = 200;
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private sealed record Arrival(DateTimeOffset First, int Count);
}
