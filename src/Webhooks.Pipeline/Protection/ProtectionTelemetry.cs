using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Webhooks.Protection;

/// <summary>
/// Endpoint protection's instruments on the pipeline's meter: deliveries held and why, and for the
/// endpoints this process sends to, each restricted one's effective rate (with the reason) and the
/// number whose circuit is open. Unrestricted endpoints report nothing, so the series stay few.
/// </summary>
public sealed class ProtectionTelemetry
{
    private readonly Counter<long> held;
    private readonly ConcurrentDictionary<string, (Func<EndpointState?> State, int? Limit)> tracked = new(StringComparer.Ordinal);

    public ProtectionTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create("Webhooks.Pipeline");
        held = meter.CreateCounter<long>("webhooks.delivery.held", unit: "{delivery}", description: "Deliveries held back without an attempt, by reason (rate_limit, retry_after, circuit_open).");
        meter.CreateObservableGauge("webhooks.endpoint.rate", Rates, unit: "{delivery}/s", description: "The rate deliveries go to each rate-limited or slowed endpoint at, by webhook and reason (limit, slowed).");
        meter.CreateObservableGauge("webhooks.endpoint.circuits_open", () => tracked.Values.Count(t => t.State() is { CircuitOpen: true }), unit: "{endpoint}", description: "Endpoints whose circuit is open, as this process last saw them.");
    }

    public void Held(HoldReason reason) => held.Add(1, new KeyValuePair<string, object?>("reason", WireNameOf(reason)));

    public void Track(string webhookId, Func<EndpointState?> state, int? limit) => tracked[webhookId] = (state, limit);

    public static string WireNameOf(HoldReason reason) => reason switch
    {
        HoldReason.RateLimit => "rate_limit",
        HoldReason.RetryAfter => "retry_after",
        _ => "circuit_open",
    };

    private IEnumerable<Measurement<double>> Rates()
    {
        foreach (var (webhookId, (state, limit)) in tracked)
        {
            if (state() is { } known && EndpointAdmission.EffectiveRate(known, limit) is { } rate)
            {
                yield return new Measurement<double>(rate,
                    new KeyValuePair<string, object?>("webhook.id", webhookId),
                    new KeyValuePair<string, object?>("reason", known.SlowedRate is null ? "limit" : "slowed"));
            }
        }
    }
}
