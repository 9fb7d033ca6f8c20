using Microsoft.Extensions.Options;
using Webhooks.Events;
using Webhooks.Formatting;
using Webhooks.Model;
using Webhooks.Secrets;
using Webhooks.Signing;

namespace Webhooks.Delivery;

/// <summary>
/// Builds one attempt's request: the webhook's URL (a secret for chat webhooks), the body in its
/// format, and for generic webhooks the signatures, made with this attempt's own timestamp from
/// every signing secret still valid. The secrets are used here and go no further.
/// </summary>
public sealed class DeliveryRequests(WebhookSecrets secrets, IOptions<SigningOptions> signing)
{
    public async Task<DeliveryRequest> BuildAsync(Webhook webhook, string deliveryId, WebhookEvent e, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var url = new Uri(await secrets.EndpointUrlAsync(webhook, cancellationToken));
        var body = DeliveryBodies.Serialize(DeliveryBodies.For(webhook, e));
        if (webhook.Type != WebhookType.Generic)
        {
            // Chat services authenticate the URL's token; they take no signature headers.
            return new DeliveryRequest(url, body, []);
        }
        var signingSecrets = await secrets.SigningSecretsAsync(webhook, cancellationToken);
        if (signingSecrets.Count == 0)
        {
            throw new InvalidOperationException($"Webhook {webhook.Id} has no signing secret in the secret store.");
        }
        return new DeliveryRequest(url, body, DeliveryHeaders.For(signing.Value.HeaderPrefix, deliveryId, e.Type, now, body, signingSecrets));
    }
}

/// <summary>What one attempt sends. <see cref="Url"/> may embed a chat webhook's token: it is never recorded or logged.</summary>
public sealed record DeliveryRequest(Uri Url, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers);
