namespace Webhooks.Storage;

/// <summary>Settings section <c>Webhooks:Storage</c>: where tables and queues live.</summary>
public sealed class StorageOptions
{
    public const string Section = "Webhooks:Storage";

    /// <summary>A storage connection string (Azurite, or an account key). When set, the URIs below are ignored.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The account's table endpoint, used with DefaultAzureCredential (managed identity in Azure).</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>The table of webhooks.</summary>
    public string WebhooksTable { get; set; } = "webhooks";

    /// <summary>The table of deliveries and their attempts.</summary>
    public string DeliveriesTable { get; set; } = "deliveries";
}
