using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Webhooks.Api;

/// <summary>
/// Portal session tokens: JWTs signed with HMAC-SHA256 by the <see cref="PortalKeyRing"/>'s current key,
/// naming one organization and a permission, with a fixed issuer and audience. Both hosts verify them
/// with <see cref="ValidationParameters"/>: the standalone host through JwtBearer, the Functions app
/// through <see cref="VerifyAsync"/>.
/// </summary>
public sealed class PortalTokens
{
    public const string Issuer = "webhook-pipeline";

    public const string Audience = "webhook-pipeline-portal";

    /// <summary>How far the clocks of the host that issued a token and the one that checks it may disagree.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };
    private readonly PortalKeyRing ring;
    private readonly TimeProvider clock;

    public PortalTokens(PortalKeyRing ring, TimeProvider clock)
    {
        this.ring = ring;
        this.clock = clock;
        ValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            // The host's clock rather than IdentityModel's own, so expiry follows the TimeProvider tests move.
            LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires),
            // The ring in memory, refreshed before each check by PrepareAsync (this callback cannot wait on storage).
            IssuerSigningKeyResolver = (_, _, kid, _) => ring.VerificationKeys(kid),
            TryAllIssuerSigningKeys = false,
            NameClaimType = PortalSession.OrganizationClaim,
        };
    }

    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return expires is { } end && now - ClockSkew < end && (notBefore is not { } start || now + ClockSkew >= start);
    }

    /// <summary>The rules a portal token must pass; the standalone host's JwtBearer scheme uses exactly these.</summary>
    public TokenValidationParameters ValidationParameters { get; }

    /// <summary>A new token for <paramref name="organizationId"/>; it is shown once, in the response that asked for it.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueAsync(string organizationId, string permission, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var key = await ring.SigningKeyAsync(cancellationToken);
        var now = clock.GetUtcNow();
        // Whole seconds: exp is in seconds, and the expiry shown must be the one the token carries.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expiresAt = issuedAt + lifetime;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [PortalSession.OrganizationClaim] = organizationId,
                [PortalSession.PermissionClaim] = permission,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expiresAt);
    }

    /// <summary>Brings the key ring up to date for <paramref name="token"/>'s key before it is checked (a rotation in another process).</summary>
    public Task PrepareAsync(string? token, CancellationToken cancellationToken)
    {
        string? kid = null;
        if (token is not null && handler.CanReadToken(token))
        {
            try
            {
                kid = handler.ReadJsonWebToken(token).Kid;
            }
            catch (ArgumentException)
            {
                // Not a JWT: it fails the check that follows, with the ring as it is.
            }
        }
        return ring.PrepareAsync(kid, cancellationToken);
    }

    /// <summary>The session <paramref name="token"/> grants, or null when it is missing, malformed, forged, expired or not a portal token.</summary>
    public async Task<PortalSession?> VerifyAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is null)
        {
            return null;
        }
        await PrepareAsync(token, cancellationToken);
        var result = await handler.ValidateTokenAsync(token, ValidationParameters);
        return result.IsValid ? PortalSession.From(new ClaimsPrincipal(result.ClaimsIdentity)) : null;
    }
}
