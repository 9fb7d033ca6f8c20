using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Model;

/// <summary>
/// The API's ETag of a webhook: a digest of its configuration and state as customers set and see
/// them, leaving out the delivery activity written back in the background (last triggered time,
/// status code, success, failure streak). Activity therefore never breaks a client's If-Match.
/// </summary>
public static class WebhookVersion
{
    public static string Of(Webhook webhook)
    {
        var s = webhook.Secrets;
        var text = string.Join('\n',
            webhook.OrganizationId,
            webhook.Id,
            webhook.Name,
            WireNames.Of(webhook.Type),
            webhook.TeamsFlavor?.ToString(),
            webhook.Url,
            webhook.DisplayUrl,
            string.Join(',', webhook.Events.ToWire()),
            webhook.Projects.Mode.ToString(),
            string.Join(',', webhook.Projects.Projects),
            webhook.Enabled.ToString(),
            webhook.RateLimit?.ToString(CultureInfo.InvariantCulture),
            Ticks(webhook.CreatedAt),
            Ticks(webhook.UpdatedAt),
            webhook.DisabledReason,
            Ticks(webhook.DisabledAt),
            s.SigningVersion,
            string.Join(',', s.RetiredSigningVersions.Select(r => $"{r.Version}@{Ticks(r.ExpiresAt)}")),
            s.UrlVersion);
        if (webhook.TraceContext)
        {
            // Appended only when on: webhooks stored before the flag keep the ETags their clients hold.
            text += "\ntrace-context";
        }
        return $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32]}\"";
    }

    private static string Ticks(DateTimeOffset? time) => time?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "";
}
