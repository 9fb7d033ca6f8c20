using Azure;
using Azure.Data.Tables;

namespace Webhooks.Storage;

/// <summary>
/// Delivery history: one partition per (organization, webhook) holding the webhook's deliveries and
/// their attempts, so one delivery's records can be written in a single batch and a webhook's whole
/// history removed partition by partition.
/// </summary>
public sealed class DeliveryHistoryStore(TableProvider tables)
{
    /// <summary>The partition of a webhook's history; it starts with the organization, which owns it.</summary>
    public static string PartitionOf(string organizationId, string webhookId) => $"{organizationId}|{webhookId}";

    /// <summary>Writes (or overwrites) a delivery's row.</summary>
    public async Task SaveAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        var table = await tables.DeliveriesAsync(cancellationToken);
        await table.UpsertEntityAsync(DeliveryRows.ToRow(delivery), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Removes every delivery and attempt of a webhook, in single-partition batches of 100.</summary>
    public async Task DeleteWebhookHistoryAsync(string organizationId, string webhookId, CancellationToken cancellationToken)
    {
        var table = await tables.DeliveriesAsync(cancellationToken);
        var partition = PartitionOf(organizationId, webhookId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var batch = new List<TableTransactionAction>(100);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
            if (batch.Count == 100)
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
        }
    }
}
