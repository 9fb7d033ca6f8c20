using Microsoft.AspNetCore.Http;

namespace Webhooks.Api;

/// <summary>
/// The credential of <c>Authorization: Bearer VALUE</c>, read one way for both kinds of caller: an API key sent
/// as a bearer token, and a portal session's token. One header, one non-empty value, or nothing.
/// </summary>
public static class BearerCredential
{
    private const string Scheme = "Bearer ";

    public static string? From(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count != 1 || authorization[0] is not { } value || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var credential = value[Scheme.Length..].Trim();
        return credential.Length == 0 ? null : credential;
    }
}
