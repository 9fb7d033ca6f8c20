using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Short helpers for calling the management API and reading its answers.</summary>
public static class ApiCalls
{
    /// <summary>A URL the URL rules accept that no test delivers to.</summary>
    public const string ExampleUrl = "https://receiver.example.com/hooks";

    /// <summary>
    /// The tests' one way to create a webhook: through the API as a client would, asserting it was
    /// created. Members left null are left out of the request, so the API's defaults apply.
    /// </summary>
    public static async Task<CreatedWebhook> CreateWebhookAsync(this HttpClient client, string orgId, string url = ExampleUrl, string name = "builds", string? type = null, object? events = null, object? projects = null, bool? enabled = null)
    {
        var body = new JsonObject { ["name"] = name, ["url"] = url };
        if (type is not null)
        {
            body["type"] = type;
        }
        if (events is not null)
        {
            body["events"] = JsonSerializer.SerializeToNode(events);
        }
        if (projects is not null)
        {
            body["projects"] = JsonSerializer.SerializeToNode(projects);
        }
        if (enabled is not null)
        {
            body["enabled"] = enabled;
        }
        var response = await client.PostAsJsonAsync(Routes.Webhooks(orgId), body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var created = await response.ReadJsonAsync();
        var secret = created.TryGetProperty("secret", out var s) ? s.GetString() : null;
        return new CreatedWebhook(created.GetProperty("id").GetString()!, secret, created, response.Headers.ETag);
    }

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
