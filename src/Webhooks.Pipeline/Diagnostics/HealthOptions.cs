namespace Webhooks.Diagnostics;

/// <summary>Settings section <c>Webhooks:Health</c>: the readiness checks behind <c>/health/ready</c>.</summary>
public sealed class HealthOptions
{
    public const string Section = "Webhooks:Health";

    /// <summary>How long one dependency's check may take before it counts as unhealthy (the storage SDK's own retries would otherwise take tens of seconds).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a check's result is reused, so a probe every second costs the storage account and the vault a request every few seconds at most.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsValid() => Timeout > TimeSpan.Zero && CacheFor >= TimeSpan.Zero;
}
