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
    /// How many predecessors of the current signing secret may still sign, newest first (0 to 10).
    /// A regeneration drops the oldest beyond this from the webhook and from the secret store, so a
    /// delivery carries at most this many signatures plus one and the webhook's row stays small
    /// whatever the number of regenerations.
    /// </summary>
    public int MaxPreviousSecrets { get; set; } = 2;

    /// <summary>The largest <see cref="MaxPreviousSecrets"/> accepted.</summary>
    public const int MaxPreviousSecretsLimit = 10;

    /// <summary>
    /// Outside the Development environment, running without a vault must be asked for explicitly
    /// (tests, a local container); otherwise the host refuses to start rather than keep secrets in a table.
    /// </summary>
    public bool AllowDevelopmentStore { get; set; }

    /// <summary>The table the development store keeps secrets in (never used when a vault is configured).</summary>
    public string DevelopmentTable { get; set; } = "devsecrets";
}
