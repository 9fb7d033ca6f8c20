using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Webhooks.Secrets;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Management;

/// <summary>The webhooks an organization may have: a hard limit, held under concurrent creates, counted back on delete.</summary>
[Collection(ManagementStorageTests.Name)]
public sealed class WebhookQuotaTests(AzuriteFixture storage)
{
    private const int Limit = 5;

    [Fact]
    public async Task ConcurrentCreatesNeverOvershootTheLimitNorLeaveSecretsBehind()
    {
        await using var app = Limited();
        using var client = app.CreateApiClient();
        var org = ApiCalls.NewOrganization();

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            client.PostAsJsonAsync(Routes.Webhooks(org), new { name = $"racer {i}", url = "https://receiver.example.com/hooks" })));

        Assert.Equal(Limit, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var listed = await (await client.GetAsync($"{Routes.Webhooks(org)}?limit=50")).ReadJsonAsync();
        Assert.Equal(Limit, listed.GetProperty("data").GetArrayLength());
        Assert.Equal(Limit, await SecretsOfAsync(org));
    }

    [Fact]
    public async Task WebhooksCreatedBeforeTheCountWasKeptStillCount()
    {
        await using var app = Limited();
        using var client = app.CreateApiClient();
        var org = ApiCalls.NewOrganization();
        for (var i = 0; i < Limit; i++)
        {
            await client.CreateWebhookAsync(org, name: $"hook {i}");
        }
        // A partition written before the count existed holds webhook rows only.
        var table = new TableClient(storage.ConnectionString, "webhooks");
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {org}")))
        {
            if (!row.RowKey.StartsWith("wh_", StringComparison.Ordinal))
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
            }
        }

        var response = await client.PostAsJsonAsync(Routes.Webhooks(org), new { name = "one too many", url = "https://receiver.example.com/hooks" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task DeletingFromAPartitionWithoutACountLeavesTheCountOfWhatRemains()
    {
        await using var app = Limited();
        using var client = app.CreateApiClient();
        var org = ApiCalls.NewOrganization();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await client.CreateWebhookAsync(org, name: $"hook {i}")).Id);
        }
        var table = new TableClient(storage.ConnectionString, "webhooks");
        await table.DeleteEntityAsync(org, CountRow);

        var response = await client.DeleteAsync(Routes.Webhook(org, ids[0]));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        // Counted with the delete, so a create racing it (having counted the deleted row too) cannot add a count one too high.
        var count = await table.GetEntityIfExistsAsync<TableEntity>(org, CountRow);
        Assert.True(count.HasValue, "The delete left the partition without a count.");
        Assert.Equal(2, count.Value!.GetInt32("Webhooks"));
    }

    [Theory]
    [InlineData("Webhooks:Quotas:EventsPerSecondPerOrganization", "0.0000000001")]
    [InlineData("Webhooks:Quotas:EventsPerSecondPerOrganization", "3000000000")]
    [InlineData("Webhooks:Quotas:EventBurstPerOrganization", "1000001")]
    [InlineData("Webhooks:Quotas:MaxWebhooksPerOrganization", "100001")]
    public void TheHostRefusesToStartWithAQuotaOutOfRange(string setting, string value)
    {
        // The start-time validation itself, as the host runs it: a whole WebApplicationFactory start that fails sometimes
        // surfaced as an ObjectDisposedException from its tear-down on a loaded machine, hiding the validation error.
        var failure = Assert.Throws<OptionsValidationException>(() => ConfiguredOptions.ValidateAtStart((setting, value)));

        Assert.Contains(setting.Split(':')[^1], failure.Message, StringComparison.Ordinal);
    }

    private const string CountRow = "~count";

    private PipelineApp Limited() =>
        new(storage, settings: new Dictionary<string, string?> { ["Webhooks:Quotas:MaxWebhooksPerOrganization"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private async Task<int> SecretsOfAsync(string org)
    {
        var prefix = SecretNames.Signing(org, "wh_x")[..^"x-signing".Length];
        var rows = await StoredRows.ReadAllAsync(storage, "devsecrets");
        return rows.Count(r => r.PartitionKey.StartsWith(prefix, StringComparison.Ordinal));
    }
}
