using System.Security.Cryptography;
using System.Text;
using Webhooks.Model;

namespace Webhooks.Secrets;

/// <summary>
/// Secret names that satisfy Key Vault's rules (letters, digits and '-', at most 127) whatever
/// the organization id looks like, and never collide between organizations.
/// </summary>
public static class SecretNames
{
    public static string Signing(string organizationId, string webhookId) => Name(organizationId, webhookId, "signing");

    public static string Url(string organizationId, string webhookId) => Name(organizationId, webhookId, "url");

    private static string Name(string organizationId, string webhookId, string kind)
    {
        var organization = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(organizationId)))[..16];
        var id = webhookId.StartsWith(ResourceIds.WebhookPrefix, StringComparison.Ordinal)
            ? webhookId[ResourceIds.WebhookPrefix.Length..]
            : webhookId;
        return $"wh-{organization}-{id}-{kind}";
    }
}
