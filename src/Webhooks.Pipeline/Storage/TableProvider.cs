using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Secrets;

namespace Webhooks.Storage;

/// <summary>
/// Hands out the pipeline's tables, creating each one the first time it is asked for, once per
/// process (creation is idempotent, so racing processes are harmless).
/// </summary>
public sealed class TableProvider(TableServiceClient service, IOptions<StorageOptions> storage, IOptions<SecretsOptions> secrets)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tables = new(StringComparer.Ordinal);

    public Task<TableClient> WebhooksAsync(CancellationToken cancellationToken) => GetAsync(storage.Value.WebhooksTable, cancellationToken);

    public Task<TableClient> DeliveriesAsync(CancellationToken cancellationToken) => GetAsync(storage.Value.DeliveriesTable, cancellationToken);

    public Task<TableClient> EventsAsync(CancellationToken cancellationToken) => GetAsync(storage.Value.EventsTable, cancellationToken);

    public Task<TableClient> PoisonAsync(CancellationToken cancellationToken) => GetAsync(storage.Value.PoisonTable, cancellationToken);

    public Task<TableClient> DevelopmentSecretsAsync(CancellationToken cancellationToken) => GetAsync(secrets.Value.DevelopmentTable, cancellationToken);

    private async Task<TableClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted)
        {
            // A failed creation (storage briefly unreachable) must not poison the process: try again next time.
            tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(name, lazy));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var client = service.GetTableClient(name);
        await client.CreateIfNotExistsAsync();
        return client;
    }
}
