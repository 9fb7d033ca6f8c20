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
    public static int BusiestWindow(IEnumerable<DateTimeOffset> arrivals, TimeSpan width)
    {
        var sorted = arrivals.Order().ToArray();
        var most = 0;
        var end = 0;
        for (var start = 0; start < sorted.Length; start++)
        {
            while (end < sorted.Length && sorted[end] < sorted[start] + width)
            {
                end++;
            }
            most = Math.Max(most, end - start);
        }
        return most;
    }

    public static JsonElement Protection(JsonElement webhook) => webhook.GetProperty("protection");
}
