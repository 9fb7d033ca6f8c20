namespace Webhooks.Diagnostics;

/// <summary>Settings section <c>Webhooks:Telemetry</c>: how often the backlog gauges are sampled.</summary>
public sealed class BacklogOptions
{
    public const string Section = "Webhooks:Telemetry";

    /// <summary>How often the queues' depth and oldest message, and the disabled webhooks, are read (each read is a storage request; the webhook count scans the webhooks table). Zero turns the sampling off.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);
}
