using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Webhooks.Testing;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// A customer endpoint on 127.0.0.1 (real Kestrel) that records what it receives and answers as
/// the test says, which can change mid-test.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private LoopbackServer server = null!;

    private LoopbackReceiver()
    {
    }

    /// <summary>How the next request is answered; swap it at any time.</summary>
    public Func<HttpContext, Task> Respond { get; set; } = context =>
    {
        context.Response.StatusCode = 200;
        return Task.CompletedTask;
    };

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>Answers the first request with <paramref name="first"/> and every later one with <paramref name="then"/>.</summary>
    public static Func<HttpContext, Task> FirstThen(Func<HttpContext, Task> first, Func<HttpContext, Task> then)
    {
        var calls = 0;
        return context => Interlocked.Increment(ref calls) == 1 ? first(context) : then(context);
    }

    /// <summary>A response that only sets <paramref name="status"/>.</summary>
    public static Func<HttpContext, Task> Status(int status) => context =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    };

    public Uri Url => new(server.BaseUrl, "/hook");

    public static async Task<LoopbackReceiver> StartAsync()
    {
        var receiver = new LoopbackReceiver();
        receiver.server = await LoopbackServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Received.Enqueue(new ReceivedRequest(context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, DateTimeOffset.UtcNow));
        await Respond(context);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

/// <summary>One request the receiver got.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);
