namespace Webhooks.Secrets;

/// <summary>Settings section <c>Webhooks:Secrets</c>.</summary>
public sealed class SecretsOptions
{
    public const string Section = "Webhooks:Secrets";

    /// <summary>The Key Vault URI (https://NAME.vault.azure.net/). Empty: the development store is used.</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>How long a resolved secret version stays in memory. Versions are immutable, so this only bounds exposure.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a regenerated signing secret's predecessor still signs deliveries, so receivers can roll.</summary>
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Outside the Development environment, running without a vault must be asked for explicitly
    /// (tests, a local container); otherwise the host refuses to start rather than keep secrets in a table.
    /// </summary>
    public bool AllowDevelopmentStore { get; set; }

    /// <summary>The table the development store keeps secrets in (never used when a vault is configured).</summary>
    public string DevelopmentTable { get; set; } = "devsecrets";
}
