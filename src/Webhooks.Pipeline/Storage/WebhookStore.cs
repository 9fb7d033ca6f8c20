using Azure;
using Azure.Data.Tables;
using Webhooks.Model;

namespace Webhooks.Storage;

/// <summary>
/// Webhook rows in Table Storage. Every call is scoped to one organization's partition, and every
/// filter is built with the SDK's parameterised helper.
/// </summary>
public sealed class WebhookStore(TableProvider tables)
{
    // Rounds of read-count-then-write lost to other creates and deletes before giving up; each round one of the racers wins.
    private const int MaxCountRetries = 64;

    // Reads of a row that another activity write-back changed in between, before leaving it to the caller's next try.
    private const int MaxActivityTries = 5;

    /// <summary>
    /// Adds the webhook and counts it, unless its organization already has <paramref name="limit"/>
    /// webhooks; returns it with its ETag, or null at the limit.
    /// </summary>
    public async Task<Webhook?> InsertAsync(Webhook webhook, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.WebhooksAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var (count, countETag) = await WebhookCount.ReadAsync(table, webhook.OrganizationId, cancellationToken);
            if (count >= limit)
            {
                return null;
            }
            try
            {
                var response = await table.SubmitTransactionAsync(
                    [new TableTransactionAction(TableTransactionActionType.Add, WebhookRows.ToRow(webhook)), WebhookCount.Set(webhook.OrganizationId, count + 1, countETag)],
                    cancellationToken);
                return webhook with { ETag = response.Value[0].Headers.ETag?.ToString() ?? "" };
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // The count changed (or was first written) by another request since it was read.
                // Not a 412: the caller sent no precondition, so it is told to retry (503).
                if (attempt >= MaxCountRetries)
                {
                    throw Busy(webhook.OrganizationId, e);
                }
                await ConflictBackoff.DelayAsync(attempt, cancellationToken);
            }
        }
    }

    /// <summary>How many webhooks the organization has.</summary>
    public async Task<int> CountAsync(string organizationId, CancellationToken cancellationToken) =>
        (await WebhookCount.ReadAsync(await tables.WebhooksAsync(cancellationToken), organizationId, cancellationToken)).Count;

    public async Task<Webhook?> GetAsync(string organizationId, string webhookId, CancellationToken cancellationToken)
    {
        var table = await tables.WebhooksAsync(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(organizationId, webhookId, cancellationToken: cancellationToken);
        return row.HasValue ? WebhookRows.FromRow(row.Value!) : null;
    }

    /// <summary>One page of an organization's webhooks, in id order.</summary>
    public async Task<Page<Webhook>> ListAsync(string organizationId, int pageSize, string? continuation, CancellationToken cancellationToken)
    {
        var table = await tables.WebhooksAsync(cancellationToken);
        var pages = table.QueryAsync<TableEntity>(WebhookCount.WebhooksOf(organizationId), pageSize, cancellationToken: cancellationToken)
            .AsPages(continuation, pageSize);
        await foreach (var page in pages)
        {
            return new Page<Webhook>(page.Values.Select(WebhookRows.FromRow).ToArray(), page.ContinuationToken);
        }
        return new Page<Webhook>([], null);
    }

    /// <summary>
    /// One page of the organizations that have (or had) webhooks, in id order, with their webhook
    /// counts: a query across partitions for the count rows (an organization whose webhooks were all
    /// written before the count existed, and never changed since, is not listed).
    /// </summary>
    public async Task<Page<OrganizationSummary>> ListOrganizationsAsync(int pageSize, string? continuation, CancellationToken cancellationToken) =>
        await FilledPages.ReadAsync(await tables.WebhooksAsync(cancellationToken), WebhookCount.EveryOrganization(), pageSize, continuation,
            row => new OrganizationSummary(row.PartitionKey, WebhookCount.Of(row)), cancellationToken);

    /// <summary>Every webhook of an organization (fan-out reads the whole partition).</summary>
    public async Task<IReadOnlyList<Webhook>> ListAllAsync(string organizationId, CancellationToken cancellationToken)
    {
        var table = await tables.WebhooksAsync(cancellationToken);
        var result = new List<Webhook>();
        await foreach (var row in table.QueryAsync<TableEntity>(WebhookCount.WebhooksOf(organizationId), cancellationToken: cancellationToken))
        {
            result.Add(WebhookRows.FromRow(row));
        }
        return result;
    }

    /// <summary>Writes the webhook if its row still has <see cref="Webhook.ETag"/>; returns it with the new ETag, or null when the row is gone.</summary>
    public async Task<Webhook?> ReplaceAsync(Webhook webhook, CancellationToken cancellationToken)
    {
        var table = await tables.WebhooksAsync(cancellationToken);
        try
        {
            var response = await table.UpdateEntityAsync(WebhookRows.ToRow(webhook), WebhookRows.ETagOf(webhook.ETag), TableUpdateMode.Replace, cancellationToken);
            return webhook with { ETag = response.Headers.ETag?.ToString() ?? "" };
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new ConcurrencyConflictException($"Webhook {webhook.Id} was changed by another request.", e);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Moves the webhook's last-triggered time (with its status code, null when no response came) and
    /// last success forward to what was observed, each only where newer than the row's, with a write
    /// conditional on the row read so two writers (two hosts, or a write racing a decision) never move
    /// them backwards. Returns false when the row changed under every try (the caller keeps the
    /// activity for later); true when written, already newer, or the webhook is gone.
    /// </summary>
    public async Task<bool> ApplyActivityAsync(
        string organizationId, string webhookId, DateTimeOffset lastTriggeredAt, int? lastStatusCode, DateTimeOffset? lastSuccessAt, CancellationToken cancellationToken)
    {
        var table = await tables.WebhooksAsync(cancellationToken);
        for (var attempt = 1; attempt <= MaxActivityTries; attempt++)
        {
            var read = await table.GetEntityIfExistsAsync<TableEntity>(organizationId, webhookId, WebhookRows.ActivityColumns, cancellationToken);
            if (!read.HasValue)
            {
                return true;
            }
            var stored = read.Value!;
            if (WebhookRows.ActivityUpdate(organizationId, webhookId, stored, lastTriggeredAt, lastStatusCode, lastSuccessAt) is not { } update)
            {
                return true;
            }
            try
            {
                await table.UpdateEntityAsync(update, stored.ETag, TableUpdateMode.Merge, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // The row changed since it was read: compare again.
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Deletes the row if it still has <paramref name="etag"/> (any version when null), and counts it out in the same transaction.</summary>
    public async Task DeleteAsync(string organizationId, string webhookId, string? etag, CancellationToken cancellationToken)
    {
        var table = await tables.WebhooksAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(organizationId, webhookId, ["RowKey"], cancellationToken);
            if (!row.HasValue)
            {
                return;
            }
            if (etag is not null && row.Value!.ETag != new ETag(etag))
            {
                throw new ConcurrencyConflictException($"Webhook {webhookId} was changed by another request.");
            }
            // No count yet (a partition older than it): the rows are counted, and the count added with
            // the delete, so a create that counted the same rows fails to add its own and counts again.
            var (count, countETag) = await WebhookCount.ReadAsync(table, organizationId, cancellationToken);
            var delete = new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(organizationId, webhookId), row.Value!.ETag);
            try
            {
                await table.SubmitTransactionAsync([delete, WebhookCount.Set(organizationId, count - 1, countETag)], cancellationToken);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // The row or the count changed since read: read both again.
                if (attempt >= MaxCountRetries)
                {
                    throw Busy(organizationId, e);
                }
                await ConflictBackoff.DelayAsync(attempt, cancellationToken);
            }
        }
    }

    private static BusyException Busy(string organizationId, Exception conflict) =>
        new($"The webhooks of organization {organizationId} are being changed by many requests at once; retry in a moment.", ConflictBackoff.RetryAfter, conflict);
}

/// <summary>An organization with webhooks, and how many it has.</summary>
public sealed record OrganizationSummary(string Id, int WebhookCount);
