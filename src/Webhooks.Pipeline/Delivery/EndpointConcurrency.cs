using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Webhooks.Delivery;

/// <summary>
/// Attempt slots: a global limit for the process and a limit per webhook, so a slow or dead
/// endpoint holds at most its own share and never the others'. A webhook at its limit gets no
/// slot at once (its work is put off, not queued in front of other endpoints').
/// </summary>
public sealed class EndpointConcurrency : IDisposable
{
    private readonly SemaphoreSlim global;
    private readonly int perWebhook;
    private readonly ConcurrentDictionary<string, StrongBox<int>> inFlight = new(StringComparer.Ordinal);

    public EndpointConcurrency(IOptions<DeliveryOptions> options)
    {
        global = new SemaphoreSlim(options.Value.MaxConcurrentAttempts, options.Value.MaxConcurrentAttempts);
        perWebhook = options.Value.MaxConcurrentAttemptsPerWebhook;
    }

    /// <summary>A slot for an attempt to <paramref name="webhookId"/>, or null; dispose it when the attempt is over.</summary>
    public async Task<IDisposable?> TryEnterAsync(string webhookId, TimeSpan globalWait, CancellationToken cancellationToken)
    {
        var count = inFlight.GetOrAdd(webhookId, _ => new StrongBox<int>());
        if (Interlocked.Increment(ref count.Value) > perWebhook)
        {
            Interlocked.Decrement(ref count.Value);
            return null;
        }
        var entered = false;
        try
        {
            entered = await global.WaitAsync(globalWait, cancellationToken);
        }
        finally
        {
            if (!entered)
            {
                Interlocked.Decrement(ref count.Value);
            }
        }
        return entered ? new Slot(global, count) : null;
    }

    public void Dispose() => global.Dispose();

    private sealed class Slot(SemaphoreSlim global, StrongBox<int> count) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Interlocked.Decrement(ref count.Value);
                global.Release();
            }
        }
    }
}
