using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Secrets;

namespace Webhooks.Storage;

/// <summary>Hands out the pipeline's tables, each created the first time it is asked for.</summary>
public sealed class TableProvider(TableServiceClient service, IOptions<StorageOptions> storage, IOptions<SecretsOptions> secrets)
{
    private readonly CreatedOnce<TableClient> tables = new(service.GetTableClient, client => client.CreateIfNotExistsAsync());

    public Task<TableClient> WebhooksAsync(CancellationToken cancellationToken) => tables.GetAsync(storage.Value.WebhooksTable, cancellationToken);

    public Task<TableClient> DeliveriesAsync(CancellationToken cancellationToken) => tables.GetAsync(storage.Value.DeliveriesTable, cancellationToken);

    public Task<TableClient> EventsAsync(CancellationToken cancellationToken) => tables.GetAsync(storage.Value.EventsTable, cancellationToken);

    public Task<TableClient> PoisonAsync(CancellationToken cancellationToken) => tables.GetAsync(storage.Value.PoisonTable, cancellationToken);

    public Task<TableClient> DevelopmentSecretsAsync(CancellationToken cancellationToken) => tables.GetAsync(secrets.Value.DevelopmentTable, cancellationToken);
}
