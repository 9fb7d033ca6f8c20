namespace Webhooks.Api;

/// <summary>Settings section <c>Webhooks:Portal</c>: the customer portal page.</summary>
public sealed class PortalOptions
{
    public const string Section = "Webhooks:Portal";

    /// <summary>
    /// Origins allowed to show the portal in a frame (<c>https://app.example.com</c>), besides the host
    /// itself. None: the portal can be framed only by pages of its own host. The operator page can never be framed.
    /// </summary>
    public List<string> FrameAncestors { get; init; } = [];
}
