namespace Webhooks.Sending;

/// <summary>Settings section <c>Webhooks:Endpoints</c>: where webhooks may point.</summary>
public sealed class EndpointOptions
{
    public const string Section = "Webhooks:Endpoints";

    /// <summary>
    /// Development and tests only: accept http and https URLs on loopback (127.0.0.0/8, ::1,
    /// localhost, *.localhost) for every webhook type, and let deliveries connect there. Off by
    /// default. Other private addresses and internal names stay refused (<see cref="DestinationRules"/>).
    /// </summary>
    public bool AllowLoopback { get; set; }
}
