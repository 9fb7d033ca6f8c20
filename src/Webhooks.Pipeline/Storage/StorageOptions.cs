namespace Webhooks.Storage;

/// <summary>Settings section <c>Webhooks:Storage</c>: where tables and queues live.</summary>
public sealed class StorageOptions
{
    public const string Section = "Webhooks:Storage";

    /// <summary>A storage connection string (Azurite, or an account key). When set, the URIs below are ignored.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The account's table endpoint, used with DefaultAzureCredential (managed identity in Azure).</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>The account's queue endpoint, used with DefaultAzureCredential.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>The table of webhooks.</summary>
    public string WebhooksTable { get; set; } = "webhooks";

    /// <summary>The table of deliveries and their attempts.</summary>
    public string DeliveriesTable { get; set; } = "deliveries";

    /// <summary>The event ledger: one row per (organization, event id) fanned out, so a repeated event starts nothing.</summary>
    public string EventsTable { get; set; } = "events";

    /// <summary>Why each message in a poison queue is there: one row per poisoned message (partition = poison queue, row = the original message's id; PoisonMessageId names the copy).</summary>
    public string PoisonTable { get; set; } = "poisonmessages";

    /// <summary>What the pipeline knows of each webhook's endpoint (rate, slow-down, circuit): one row per webhook, shared by every host.</summary>
    public string EndpointsTable { get; set; } = "endpoints";

    /// <summary>The queue producers publish events to; malformed ones go to the same name + <c>-poison</c>.</summary>
    public string EventsQueue { get; set; } = "webhook-events";

    /// <summary>The standalone host's delivery steps (the Functions app uses Durable orchestrations instead).</summary>
    public string DeliveriesQueue { get; set; } = "webhook-deliveries";

    /// <summary>The queue a message that cannot be processed is moved to, with the reason beside it.</summary>
    public static string PoisonQueueOf(string queue) => queue + "-poison";
}
