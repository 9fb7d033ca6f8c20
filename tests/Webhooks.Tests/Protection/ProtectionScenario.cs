using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Protection;

/// <summary>What the endpoint protection tests share: setting a webhook's limit through the API, and reading what a receiver saw.</summary>
public static class ProtectionScenario
{
    public static async Task SetRateLimitAsync(HttpClient api, string org, string webhookId, int limit)
    {
        var response = await api.PatchAsJsonAsync(Routes.Webhook(org, webhookId), new { rateLimit = limit });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(limit, (await response.ReadJsonAsync()).GetProperty("rateLimit").GetInt32());
    }

    /// <summary>The most requests that arrived within any window of <paramref name="width"/>.</summary>
    public static int BusiestWindow(IEnumerable<DateTimeOffset> arrivals, TimeSpan width) => Webhooks.Testing.ArrivalWindows.Busiest(arrivals, width);

    public static JsonElement Protection(JsonElement webhook) => webhook.GetProperty("protection");
}
