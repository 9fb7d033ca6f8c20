namespace Webhooks.Model;

/// <summary>Event types the pipeline itself emits, whatever catalogue the product configures.</summary>
public static class SystemEventTypes
{
    /// <summary>A webhook was turned off automatically; published into the pipeline so the product can tell its customer.</summary>
    public const string WebhookDisabled = "webhook.disabled";

    /// <summary>The ping <c>POST …/webhooks/{id}/test</c> sends to one webhook; never fanned out, so not in the catalogue.</summary>
    public const string WebhookTest = "webhook.test";
}
