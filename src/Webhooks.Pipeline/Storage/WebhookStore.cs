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
    public async Task<Webhook> InsertAsync(Webhook webhook, CancellationToken cancellationToken)
    {
        var table = await tables.WebhooksAsync(cancellationToken);
        var response = await table.AddEntityAsync(WebhookRows.ToRow(webhook), cancellationToken);
        return webhook with { ETag = response.Headers.ETag?.ToString() ?? "" };
    }

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
        var pages = table.QueryAsync<TableEntity>(PartitionFilter(organizationId), pageSize, cancellationToken: cancellationToken)
            .AsPages(continuation, pageSize);
        await foreach (var page in pages)
        {
            return new Page<Webhook>(page.Values.Select(WebhookRows.FromRow).ToArray(), page.ContinuationToken);
        }
        return new Page<Webhook>([], null);
    }

    /// <summary>Every webhook of an organization (fan-out reads the whole partition).</summary>
    public async Task<IReadOnlyList<Webhook>> ListAllAsync(string organizationId, CancellationToken cancellationToken)
    {
        var table = await tables.WebhooksAsync(cancellationToken);
        var result = new List<Webhook>();
        await foreach (var row in table.QueryAsync<TableEntity>(PartitionFilter(organizationId), cancellationToken: cancellationToken))
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

    /// <summary>Deletes the row if it still has <paramref name="etag"/> (any version when null).</summary>
    public async Task DeleteAsync(string organizationId, string webhookId, string? etag, CancellationToken cancellationToken)
    {
        var table = await tables.WebhooksAsync(cancellationToken);
        try
        {
            await table.DeleteEntityAsync(organizationId, webhookId, WebhookRows.ETagOf(etag), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new ConcurrencyConflictException($"Webhook {webhookId} was changed by another request.", e);
        }
    }

    private static string PartitionFilter(string organizationId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {organizationId}");
}
