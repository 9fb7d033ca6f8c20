using Azure;
using Azure.Data.Tables;

namespace Webhooks.Storage;

/// <summary>
/// How many webhooks an organization has, kept in a row of its own partition and changed in the
/// same transaction as the webhook row it counts, so a limit on it holds exactly across instances
/// and racing requests. A partition written before the count existed is counted once, on the
/// first create or delete after.
/// </summary>
internal static class WebhookCount
{
    /// <summary>Never a well-formed webhook id, and sorted after every one.</summary>
    public const string RowKey = "~count";

    private const string Column = "Webhooks";

    /// <summary>The count and the ETag to change it under; no ETag when the row is yet to be written.</summary>
    public static async Task<(int Count, ETag? ETag)> ReadAsync(TableClient table, string organizationId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(organizationId, RowKey, cancellationToken: cancellationToken);
        if (row.HasValue)
        {
            return (Of(row.Value!), row.Value!.ETag);
        }
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(WebhooksOf(organizationId), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            count++;
        }
        return (count, null);
    }

    /// <summary>The count a count row holds.</summary>
    public static int Of(TableEntity row) => row.GetInt32(Column) ?? 0;

    /// <summary>The transaction action that sets the count, provided it is still as read.</summary>
    public static TableTransactionAction Set(string organizationId, int count, ETag? etag)
    {
        var row = new TableEntity(organizationId, RowKey) { [Column] = Math.Max(0, count) };
        return etag is { } read
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, read)
            : new TableTransactionAction(TableTransactionActionType.Add, row);
    }

    /// <summary>The filter for every organization's count row: one row per organization that has (or had) webhooks.</summary>
    public static string EveryOrganization() => TableClient.CreateQueryFilter($"RowKey eq {RowKey}");

    /// <summary>The filter for an organization's webhook rows, leaving out its count.</summary>
    public static string WebhooksOf(string organizationId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {organizationId} and RowKey ne {RowKey}");
}
