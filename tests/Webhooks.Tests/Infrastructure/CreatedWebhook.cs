using System.Net.Http.Headers;
using System.Text.Json;

namespace Webhooks.Tests.Infrastructure;

/// <summary>A webhook a test created: its id, its signing secret (chat webhooks have none), the API's whole answer and its ETag.</summary>
public sealed record CreatedWebhook(string Id, string? Secret, JsonElement Json, EntityTagHeaderValue? ETag)
{
    /// <summary>The id and the signing secret of a webhook that signs; a chat webhook has no secret to give.</summary>
    public void Deconstruct(out string id, out string secret)
    {
        id = Id;
        secret = Secret ?? throw new InvalidOperationException($"webhook {Id} has no signing secret");
    }
}
