using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Webhooks.Storage;

/// <summary>
/// Hands out the pipeline's queues, each created the first time it is asked for. Clients send and
/// receive raw text; <see cref="QueueMessageText"/> does the encoding.
/// </summary>
public sealed class QueueProvider(QueueServiceClient service, IOptions<StorageOptions> storage)
{
    private readonly CreatedOnce<QueueClient> queues = new(service.GetQueueClient, client => client.CreateIfNotExistsAsync());

    public Task<QueueClient> EventsAsync(CancellationToken cancellationToken) => queues.GetAsync(storage.Value.EventsQueue, cancellationToken);

    public Task<QueueClient> EventsPoisonAsync(CancellationToken cancellationToken) => queues.GetAsync(StorageOptions.PoisonQueueOf(storage.Value.EventsQueue), cancellationToken);

    public Task<QueueClient> DeliveriesAsync(CancellationToken cancellationToken) => queues.GetAsync(storage.Value.DeliveriesQueue, cancellationToken);

    public Task<QueueClient> DeliveriesPoisonAsync(CancellationToken cancellationToken) => queues.GetAsync(StorageOptions.PoisonQueueOf(storage.Value.DeliveriesQueue), cancellationToken);
}
