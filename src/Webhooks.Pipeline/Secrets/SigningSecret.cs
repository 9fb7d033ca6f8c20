using System.Security.Cryptography;

namespace Webhooks.Secrets;

/// <summary>Signing secrets in the Standard Webhooks form customers are shown.</summary>
public static class SigningSecret
{
    public const string Prefix = "whsec_";

    /// <summary><c>whsec_</c> followed by the base64 of 32 random bytes.</summary>
    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
