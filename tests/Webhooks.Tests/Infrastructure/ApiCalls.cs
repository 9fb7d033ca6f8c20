using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Short helpers for calling the management API and reading its answers.</summary>
public static class ApiCalls
{
    public static async Task<JsonElement> CreateWebhookAsync(this HttpClient client, string orgId, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/orgs/{orgId}/webhooks", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }

    public static Task<JsonElement> CreateGenericAsync(this HttpClient client, string orgId, string name = "builds") =>
        client.CreateWebhookAsync(orgId, new { name, url = "https://receiver.example.com/hooks" });

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The problem's errors for one field, asserting it is a problem+json 400 that names the field.</summary>
    public static async Task<string[]> AssertFieldErrorAsync(this HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {text}");
        return messages.EnumerateArray().Select(m => m.GetString()!).ToArray();
    }

    public static string NewOrganization() => "org-" + Guid.NewGuid().ToString("N")[..12];
}
