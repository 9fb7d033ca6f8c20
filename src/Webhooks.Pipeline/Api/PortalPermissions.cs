namespace Webhooks.Api;

/// <summary>What a portal session may do: <c>read</c> everything of its organization, or also <c>manage</c> (create, change, delete, resend).</summary>
public static class PortalPermissions
{
    public const string Read = "read";

    public const string Manage = "manage";

    public static bool IsKnown(string? permission) => permission is Read or Manage;
}
