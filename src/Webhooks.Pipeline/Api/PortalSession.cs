using System.Security.Claims;

namespace Webhooks.Api;

/// <summary>Who a verified portal token speaks for: one organization, a permission, until when.</summary>
public sealed record PortalSession(string OrganizationId, string Permission, DateTimeOffset ExpiresAt)
{
    /// <summary>The token's claim naming the organization.</summary>
    public const string OrganizationClaim = "organization";

    /// <summary>The token's claim naming the permission, <see cref="PortalPermissions"/>.</summary>
    public const string PermissionClaim = "permission";

    public bool MayChange => Permission == PortalPermissions.Manage;

    /// <summary>The session a verified token's claims describe, or null when they describe none.</summary>
    public static PortalSession? From(ClaimsPrincipal? principal) => From(principal?.Claims ?? []);

    public static PortalSession? From(IEnumerable<Claim> claims)
    {
        string? organization = null, permission = null;
        long? expires = null;
        foreach (var claim in claims)
        {
            switch (claim.Type)
            {
                case OrganizationClaim:
                    organization = claim.Value;
                    break;
                case PermissionClaim:
                    permission = claim.Value;
                    break;
                case "exp" when long.TryParse(claim.Value, out var seconds):
                    expires = seconds;
                    break;
            }
        }
        return organization is { Length: > 0 } && PortalPermissions.IsKnown(permission) && expires is { } exp
            ? new PortalSession(organization, permission!, DateTimeOffset.FromUnixTimeSeconds(exp))
            : null;
    }
}
