namespace Webhooks.Signing;

/// <summary>Settings section <c>Webhooks:Signing</c>.</summary>
public sealed class SigningOptions
{
    public const string Section = "Webhooks:Signing";

    /// <summary>
    /// The prefix of the product-style headers (<c>X-Webhook-Event</c>, <c>-Delivery</c>,
    /// <c>-Timestamp</c>, <c>-Signature</c>), so a product can brand them (<c>X-Acme</c>).
    /// The Standard Webhooks headers keep their standard names.
    /// </summary>
    public string HeaderPrefix { get; set; } = "X-Webhook";
}
