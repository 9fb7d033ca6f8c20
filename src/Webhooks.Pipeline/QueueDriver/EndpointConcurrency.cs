using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Webhooks.Delivery;

namespace Webhooks.QueueDriver;

/// <summary>
/// Attempt slots: a global limit for the process and a limit per webhook, so a slow or dead
/// endpoint holds at most its own share and never the others'. A caller waits a little for a slot
/// (a healthy endpoint frees one within milliseconds) and otherwise puts the work off rather than
/// queue it behind an endpoint that is not answering.
/// </summary>
public sealed class EndpointConcurrency : IDisposable
{
    private readonly SemaphoreSlim global;
    private readonly int perWebhook;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> webhooks = new(StringComparer.Ordinal);

    public EndpointConcurrency(IOptions<DeliveryOptions> options)
    {
        global = new SemaphoreSlim(options.Value.MaxConcurrentAttempts, options.Value.MaxConcurrentAttempts);
        perWebhook = options.Value.MaxConcurrentAttemptsPerWebhook;
    }

    /// <summary>A slot for an attempt to <paramref name="webhookId"/>, or null when none frees up within <paramref name="wait"/>; dispose it when the attempt is over.</summary>
    public async Task<IDisposable?> TryEnterAsync(string webhookId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var webhook = webhooks.GetOrAdd(webhookId, _ => new SemaphoreSlim(perWebhook, perWebhook));
        var started = TimeProvider.System.GetTimestamp();
        if (!await webhook.WaitAsync(wait, cancellationToken))
        {
            return null;
        }
        var entered = false;
        try
        {
            var left = wait - TimeProvider.System.GetElapsedTime(started);
            entered = await global.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
        }
        finally
        {
            if (!entered)
            {
                webhook.Release();
            }
        }
        return entered ? new Slot(global, webhook) : null;
    }

    public void Dispose()
    {
        global.Dispose();
        foreach (var webhook in webhooks.Values)
        {
            webhook.Dispose();
        }
    }

    private sealed class Slot(SemaphoreSlim global, SemaphoreSlim webhook) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                global.Release();
                webhook.Release();
            }
        }
    }
}
