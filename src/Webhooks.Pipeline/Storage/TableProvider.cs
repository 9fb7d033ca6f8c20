using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Webhooks.Storage;

/// <summary>Hands out the pipeline's tables, each created the first time it is asked for.</summary>
public sealed class TableProvider(TableServiceClient service, IOptions<StorageOptions> storage)
{
    private readonly CreatedOnce<TableClient> tables = new(service.GetTableClient, client => client.CreateIfNotExistsAsync());

    public Task<TableClient> WebhooksAsync(CancellationToken cancellationToken) => tables.GetAsync(storage.Value.WebhooksTable, cancellationToken);

    public Task<TableClient> DeliveriesAsync(CancellationToken cancellationToken) => tables.GetAsync(storage.Value.DeliveriesTable, cancellationToken);

    public Task<TableClient> EventsAsync(CancellationToken cancellationToken) => tables.GetAsync(storage.Value.EventsTable, cancellationToken);

    public Task<TableClient> EndpointsAsync(CancellationToken cancellationToken) => tables.GetAsync(storage.Value.EndpointsTable, cancellationToken);

    public Task<TableClient> PoisonAsync(CancellationToken cancellationToken) => tables.GetAsync(storage.Value.PoisonTable, cancellationToken);

    /// <summary>A table a layer above storage names itself (the development secret store's).</summary>
    public Task<TableClient> NamedAsync(string name, CancellationToken cancellationToken) => tables.GetAsync(name, cancellationToken);
}
