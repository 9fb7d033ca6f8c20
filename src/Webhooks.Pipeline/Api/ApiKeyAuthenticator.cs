using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Webhooks.Api;

/// <summary>
/// Checks the API key on a request. Keys are compared as SHA-256 digests with a fixed-time
/// comparison, so neither the length nor the content leaks through timing.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    private readonly byte[][] acceptedDigests;

    public ApiKeyAuthenticator(IOptions<ApiOptions> options)
    {
        acceptedDigests = options.Value.Keys
            .Where(k => !string.IsNullOrWhiteSpace(k))
            .Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k.Trim())))
            .ToArray();
    }

    public bool HasKeys => acceptedDigests.Length > 0;

    public bool IsAuthorized(HttpRequest request)
    {
        var presented = PresentedKey(request);
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var accepted in acceptedDigests)
        {
            // No early exit: every configured key is compared every time.
            match |= CryptographicOperations.FixedTimeEquals(digest, accepted);
        }
        return match;
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(ApiOptions.KeyHeader, out var header) && header.Count == 1)
        {
            return header[0];
        }
        return BearerCredential.From(request);
    }
}
