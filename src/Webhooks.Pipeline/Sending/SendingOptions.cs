namespace Webhooks.Sending;

/// <summary>Settings section <c>Webhooks:Sending</c>: how deliveries are sent.</summary>
public sealed class SendingOptions
{
    public const string Section = "Webhooks:Sending";

    /// <summary>How long one attempt may take, connection included, before it counts as a timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How much of a response body is kept in the attempt record.</summary>
    public int MaxResponseBodyBytes { get; set; } = 16 * 1024;

    /// <summary>The User-Agent deliveries carry.</summary>
    public string UserAgent { get; set; } = "Webhook-Pipeline/1.0";
}
