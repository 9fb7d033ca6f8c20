using Azure;
using Azure.Data.Tables;

namespace Webhooks.Storage;

/// <summary>
/// Deliveries and their attempts: one partition per (organization, webhook), so one delivery's
/// rows change in a single batch request and a webhook's whole history can be removed partition by
/// partition. Filters are built with the SDK's parameterised helper.
/// </summary>
public sealed class DeliveryStore(TableProvider tables)
{
    /// <summary>The partition of a webhook's history; it starts with the organization, which owns it.</summary>
    public static string PartitionOf(string organizationId, string webhookId) => $"{organizationId}|{webhookId}";

    /// <summary>Records a new delivery; returns it with its ETag, or null when the delivery already exists.</summary>
    public async Task<DeliveryRecord?> TryCreateAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        var table = await tables.DeliveriesAsync(cancellationToken);
        try
        {
            var result = await table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, DeliveryRows.Main(delivery)),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, DeliveryRows.Listing(delivery)),
                ],
                cancellationToken);
            return delivery with { ETag = result.Value[0].Headers.ETag?.ToString() ?? "" };
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>The delivery's main row (with its stored event), or null.</summary>
    public async Task<DeliveryRecord?> GetAsync(DeliveryKey key, CancellationToken cancellationToken)
    {
        var table = await tables.DeliveriesAsync(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(key.OrganizationId, key.WebhookId), DeliveryRows.MainKey(key.DeliveryId), cancellationToken: cancellationToken);
        return row.HasValue ? DeliveryRows.FromRow(row.Value!) : null;
    }

    /// <summary>The delivery and its attempts in order, read with one range query; null when it does not exist.</summary>
    public async Task<DeliveryWithAttempts?> GetWithAttemptsAsync(DeliveryKey key, CancellationToken cancellationToken)
    {
        var table = await tables.DeliveriesAsync(cancellationToken);
        var partition = PartitionOf(key.OrganizationId, key.WebhookId);
        var from = DeliveryRows.MainKey(key.DeliveryId);
        var to = DeliveryRows.AttemptsTo(key.DeliveryId);
        DeliveryRecord? delivery = null;
        var attempts = new List<AttemptRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}"), cancellationToken: cancellationToken))
        {
            if (row.RowKey == from)
            {
                delivery = DeliveryRows.FromRow(row);
            }
            else
            {
                attempts.Add(DeliveryRows.AttemptFromRow(row));
            }
        }
        return delivery is null ? null : new DeliveryWithAttempts(delivery, [.. attempts.OrderBy(a => a.Number)]);
    }

    /// <summary>
    /// Writes a delivery's new state, and the attempt that led to it, in one batch. The write is
    /// conditional on <see cref="DeliveryRecord.ETag"/> (unconditional when it is empty); returns
    /// the state with its new ETag, or null when the row changed since or is gone.
    /// </summary>
    public async Task<DeliveryRecord?> TryWriteAsync(DeliveryRecord delivery, AttemptRecord? attempt, CancellationToken cancellationToken)
    {
        var table = await tables.DeliveriesAsync(cancellationToken);
        var actions = new List<TableTransactionAction>(3)
        {
            new(TableTransactionActionType.UpdateReplace, DeliveryRows.Main(delivery), WebhookRows.ETagOf(delivery.ETag)),
            new(TableTransactionActionType.UpsertReplace, DeliveryRows.Listing(delivery)),
        };
        if (attempt is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, DeliveryRows.Attempt(delivery.Key, attempt)));
        }
        try
        {
            var result = await table.SubmitTransactionAsync(actions, cancellationToken);
            return delivery with { ETag = result.Value[0].Headers.ETag?.ToString() ?? "" };
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            // 412: another runner changed it; 404: the webhook and its history were deleted;
            // 409: the attempt row exists, so a duplicate runner recorded this attempt first.
            return null;
        }
    }

    /// <summary>One page of a webhook's deliveries, newest first, optionally filtered by status and event type.</summary>
    public async Task<Page<DeliveryRecord>> ListAsync(DeliveryListQuery query, int pageSize, string? continuation, CancellationToken cancellationToken)
    {
        var table = await tables.DeliveriesAsync(cancellationToken);
        var filter = ListingFilter(query.OrganizationId, query.WebhookId, DeliveryRows.ListingPrefix);
        if (query.Status is { } status)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status.ToString()}");
        }
        if (query.EventType is { } eventType)
        {
            filter += " and " + TableClient.CreateQueryFilter($"EventType eq {eventType}");
        }
        return await FilledPages.ReadAsync(table, filter, pageSize, continuation, DeliveryRows.FromRow, cancellationToken);
    }

    /// <summary>A webhook's deliveries created at or after <paramref name="since"/>, newest first (listing columns only).</summary>
    public async IAsyncEnumerable<DeliveryRecord> ListSinceAsync(string organizationId, string webhookId, DateTimeOffset since,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.DeliveriesAsync(cancellationToken);
        await foreach (var row in table.QueryAsync<TableEntity>(SinceFilter(organizationId, webhookId, since), cancellationToken: cancellationToken))
        {
            yield return DeliveryRows.FromRow(row);
        }
    }

    /// <summary>
    /// At most <paramref name="max"/> of the newest deliveries created at or after <paramref name="since"/>
    /// (the query of <see cref="ListSinceAsync"/>, in server pages of at most 1,000 rows and never more
    /// than the bound), and whether the bound cut the listing short.
    /// </summary>
    public async Task<(IReadOnlyList<DeliveryRecord> Deliveries, bool Truncated)> ListNewestSinceAsync(
        string organizationId, string webhookId, DateTimeOffset since, int max, CancellationToken cancellationToken)
    {
        var table = await tables.DeliveriesAsync(cancellationToken);
        var pageSize = Math.Min(1000, max);
        var read = new List<DeliveryRecord>(Math.Min(max, 1000));
        await foreach (var page in table.QueryAsync<TableEntity>(SinceFilter(organizationId, webhookId, since), pageSize, cancellationToken: cancellationToken).AsPages(pageSizeHint: pageSize))
        {
            foreach (var row in page.Values)
            {
                if (read.Count == max)
                {
                    return (read, true);
                }
                read.Add(DeliveryRows.FromRow(row));
            }
            if (read.Count == max)
            {
                // The bound is reached: a continuation says the store had more to give (it may turn out empty).
                return (read, page.ContinuationToken is not null);
            }
        }
        return (read, false);
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

    private static string SinceFilter(string organizationId, string webhookId, DateTimeOffset since)
    {
        var partition = PartitionOf(organizationId, webhookId);
        var from = DeliveryRows.ListingPrefix;
        var to = DeliveryRows.ListingKeyBound(since);
        return TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");
    }

    private static string ListingFilter(string organizationId, string webhookId, string prefix)
    {
        var partition = PartitionOf(organizationId, webhookId);
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        return TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {end}");
    }
}

/// <summary>A delivery with its attempts, oldest first.</summary>
public sealed record DeliveryWithAttempts(DeliveryRecord Delivery, IReadOnlyList<AttemptRecord> Attempts);

/// <summary>Which of a webhook's deliveries a listing shows.</summary>
public sealed record DeliveryListQuery(string OrganizationId, string WebhookId, DeliveryStatus? Status, string? EventType);
