using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Webhooks.Model;

namespace Webhooks.Api;

/// <summary>
/// Portal sessions as transport-neutral handlers: an operator (the product's backend) asks for a
/// session of one organization and hands its URL to a signed-in customer; operators rotate the key.
/// </summary>
public sealed class PortalSessionApi(PortalTokens tokens, PortalKeyRing ring, JsonRequestReader reader, IOptions<PortalOptions> options)
{
    /// <summary>Creates a session; <paramref name="portalPath"/> is where this host serves the portal page.</summary>
    public Task<IResult> CreateAsync(string orgId, HttpRequest request, string portalPath, CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            ApiQuery.CheckOrganization(orgId);
            var body = IsEmpty(request) ? new CreatePortalSessionRequest(null, null) : await reader.ReadAsync<CreatePortalSessionRequest>(request, cancellationToken);
            var permission = body.Permission ?? PortalPermissions.Read;
            if (!PortalPermissions.IsKnown(permission))
            {
                throw ValidationException.For("permission", $"must be {PortalPermissions.Read} or {PortalPermissions.Manage}.");
            }
            var longest = options.Value.TokenLifetime;
            if (body.LifetimeMinutes is { } minutes && (minutes < 1 || minutes > longest.TotalMinutes))
            {
                throw ValidationException.For("lifetimeMinutes", $"must be a whole number from 1 to {(int)longest.TotalMinutes} (Webhooks:Portal:TokenLifetime).");
            }
            var lifetime = body.LifetimeMinutes is { } asked ? TimeSpan.FromMinutes(asked) : longest;
            var (token, expiresAt) = await tokens.IssueAsync(orgId, permission, lifetime, cancellationToken);
            // The fragment never reaches a server: no access log, proxy or Referer carries the token.
            var url = $"{BaseUrl(request)}{portalPath}#token={token}";
            return ApiResults.Json(new PortalSessionResponse(url, token, orgId, permission, expiresAt), StatusCodes.Status201Created);
        });

    /// <summary>Makes a new signing key; tokens signed by the previous one stay valid until they expire.</summary>
    public Task<IResult> RotateKeyAsync(CancellationToken cancellationToken) =>
        ApiResults.Guard(async () =>
        {
            var (keyId, previousValidUntil) = await ring.RotateAsync(cancellationToken);
            return ApiResults.Json(new PortalKeyRotatedResponse(keyId, previousValidUntil));
        });

    /// <summary>What a session is, for the page to show (never the token).</summary>
    public static IResult Describe(PortalSession session) =>
        ApiResults.Json(new PortalSessionInfoResponse(session.OrganizationId, session.Permission, session.ExpiresAt));

    private string BaseUrl(HttpRequest request) =>
        options.Value.PublicUrl is { } url
            ? url.AbsoluteUri.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>No body at all (both fields are optional): any body, even an empty JSON one, is read strictly.</summary>
    private static bool IsEmpty(HttpRequest request) =>
        request.ContentType is null && request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0;
}

/// <summary>The body of <c>POST /api/orgs/{orgId}/portal-sessions</c>; both fields are optional.</summary>
/// <param name="Permission"><c>read</c> (default) or <c>manage</c>.</param>
/// <param name="LifetimeMinutes">How long the token is valid, at most (and by default) <c>Webhooks:Portal:TokenLifetime</c>.</param>
public sealed record CreatePortalSessionRequest(string? Permission, int? LifetimeMinutes);

/// <summary>A new portal session: the link to hand to the customer (the token is in its fragment), and the token alone for a page of your own.</summary>
public sealed record PortalSessionResponse(string Url, string Token, string OrganizationId, string Permission, DateTimeOffset ExpiresAt);

/// <summary>The session a portal token grants (<c>GET /api/portal/session</c>).</summary>
public sealed record PortalSessionInfoResponse(string OrganizationId, string Permission, DateTimeOffset ExpiresAt);

/// <summary>The key that signs portal tokens from now on, and until when the previous one still verifies.</summary>
public sealed record PortalKeyRotatedResponse(string KeyId, DateTimeOffset? PreviousKeyValidUntil);
