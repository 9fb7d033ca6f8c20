using Azure.Data.Tables;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Reads tables straight from Azurite, to check what was (and was not) written.</summary>
public static class StoredRows
{
    public static async Task<List<TableEntity>> ReadAllAsync(AzuriteFixture storage, string table)
    {
        var client = new TableServiceClient(storage.ConnectionString).GetTableClient(table);
        await client.CreateIfNotExistsAsync();
        var rows = new List<TableEntity>();
        await foreach (var row in client.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Every column value of every row as text, binary columns decoded as UTF-8, to search for leaked values.</summary>
    public static async Task<string> DumpAsync(AzuriteFixture storage, string table)
    {
        var rows = await ReadAllAsync(storage, table);
        return string.Join("\n", rows.SelectMany(r => r.Select(kv => $"{r.PartitionKey}/{r.RowKey}/{kv.Key}={Shown(kv.Value)}")));
    }

    /// <summary>The version ids of one secret that the development secret store holds.</summary>
    public static async Task<List<string>> DevelopmentSecretVersionsAsync(AzuriteFixture storage, string name)
    {
        var client = new TableServiceClient(storage.ConnectionString).GetTableClient(new Webhooks.Secrets.SecretsOptions().DevelopmentTable);
        await client.CreateIfNotExistsAsync();
        var versions = new List<string>();
        await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {name}"), select: ["RowKey"]))
        {
            versions.Add(row.RowKey);
        }
        return versions;
    }

    private static string? Shown(object? value) =>
        value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
}
