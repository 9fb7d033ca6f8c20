using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Webhooks.Storage;

/// <summary>
/// Hands out the pipeline's queues, creating each one the first time it is asked for, once per
/// process. Clients send and receive raw text; <see cref="QueueMessageText"/> does the encoding.
/// </summary>
public sealed class QueueProvider(QueueServiceClient service, IOptions<StorageOptions> storage)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> queues = new(StringComparer.Ordinal);

    public Task<QueueClient> EventsAsync(CancellationToken cancellationToken) => GetAsync(storage.Value.EventsQueue, cancellationToken);

    public Task<QueueClient> EventsPoisonAsync(CancellationToken cancellationToken) => GetAsync(StorageOptions.PoisonQueueOf(storage.Value.EventsQueue), cancellationToken);

    public Task<QueueClient> DeliveriesAsync(CancellationToken cancellationToken) => GetAsync(storage.Value.DeliveriesQueue, cancellationToken);

    public Task<QueueClient> DeliveriesPoisonAsync(CancellationToken cancellationToken) => GetAsync(StorageOptions.PoisonQueueOf(storage.Value.DeliveriesQueue), cancellationToken);

    private async Task<QueueClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = queues.GetOrAdd(name, n => new Lazy<Task<QueueClient>>(() => CreateAsync(n)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted)
        {
            // A failed creation (storage briefly unreachable) must not poison the process: try again next time.
            queues.TryRemove(new KeyValuePair<string, Lazy<Task<QueueClient>>>(name, lazy));
            throw;
        }
    }

    private async Task<QueueClient> CreateAsync(string name)
    {
        var client = service.GetQueueClient(name);
        await client.CreateIfNotExistsAsync();
        return client;
    }
}
