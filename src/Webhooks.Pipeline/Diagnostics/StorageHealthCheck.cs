using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Storage;

namespace Webhooks.Diagnostics;

/// <summary>Ready when the storage account answers: one row read from the webhooks table and the events queue's properties.</summary>
public sealed class StorageHealthCheck(TableProvider tables, QueueProvider queues, IOptions<HealthOptions> options, TimeProvider clock, ILogger<StorageHealthCheck> logger)
    : CachedHealthCheck(options, clock, logger)
{
    protected override string Unreachable => "The storage account did not answer.";

    protected override async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var webhooks = await tables.WebhooksAsync(cancellationToken);
        await foreach (var _ in webhooks.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages(pageSizeHint: 1).WithCancellation(cancellationToken))
        {
            break;
        }
        var events = await queues.EventsAsync(cancellationToken);
        await events.GetPropertiesAsync(cancellationToken);
    }
}
