using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Storage;

namespace Webhooks.Secrets;

/// <summary>
/// A stand-in for Key Vault for local work: versions kept in their own table of the development
/// storage account, so they survive restarts and are shared by every local process. It is used
/// only when no vault is configured, and the host says so at start-up.
/// </summary>
public sealed class DevelopmentSecretStore(TableProvider tables, IOptions<SecretsOptions> options, TimeProvider clock) : ISecretStore
{
    public async Task<string> SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        var table = await tables.NamedAsync(options.Value.DevelopmentTable, cancellationToken);
        // Versions sort by creation time, like Key Vault's, and stay unique under concurrent writes.
        var version = $"{clock.GetUtcNow().UtcTicks:D19}{Guid.NewGuid():N}";
        await table.AddEntityAsync(new TableEntity(name, version) { ["Value"] = value }, cancellationToken);
        return version;
    }

    public async Task<string?> GetAsync(string name, string version, CancellationToken cancellationToken)
    {
        var table = await tables.NamedAsync(options.Value.DevelopmentTable, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(name, version, ["Value"], cancellationToken);
        return row.HasValue ? row.Value!.GetString("Value") : null;
    }

    public async Task DiscardAsync(string name, string version, CancellationToken cancellationToken)
    {
        var table = await tables.NamedAsync(options.Value.DevelopmentTable, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(name, version, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone: a retried discard, or the whole secret was deleted with its webhook.
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var table = await tables.NamedAsync(options.Value.DevelopmentTable, cancellationToken);
        var rows = table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {name}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        await foreach (var row in rows)
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }
    }
}
