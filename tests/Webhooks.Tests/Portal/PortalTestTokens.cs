using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Webhooks.Api;

namespace Webhooks.Tests.Portal;

/// <summary>Portal tokens made by a test with a key of its choosing: right in every way but the one the test varies.</summary>
public static class PortalTestTokens
{
    public static string Sign(byte[] key, string kid, string organization, string permission, DateTimeOffset issuedAt, TimeSpan lifetime) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = PortalTokens.Issuer,
            Audience = PortalTokens.Audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + lifetime).UtcDateTime,
            Claims = new Dictionary<string, object> { [PortalSession.OrganizationClaim] = organization, [PortalSession.PermissionClaim] = permission },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.HmacSha256),
        });
}
