using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Model;

namespace Webhooks.Protection;

/// <summary>
/// The endpoint protection every attempt passes through, in both drivers: admits a delivery or says
/// until when it waits, and folds each attempt's outcome into the endpoint's state. Decisions are
/// <see cref="EndpointAdmission"/>'s; this class reads and writes the shared row. In one process the
/// decisions for one endpoint take turns; across hosts every change is a write conditional on the
/// row read, tried again from a fresh read when another host wrote first. An endpoint nothing
/// restricts is admitted from a recent read without any write.
/// </summary>
public sealed partial class EndpointGate(EndpointStateStore store, ProtectionTelemetry telemetry, IOptions<ProtectionPolicy> options, TimeProvider clock, ILogger<EndpointGate> logger) : IDisposable
{
    private const int MostTries = 20;

    private readonly ConcurrentDictionary<(string, string), Endpoint> endpoints = new();

    /// <summary>Whether a delivery to <paramref name="webhook"/> may be sent now (perhaps as its circuit's probe), or until when it waits.</summary>
    public async Task<Admission> AdmitAsync(Webhook webhook, string deliveryId, CancellationToken cancellationToken)
    {
        var policy = options.Value;
        var limit = policy.LimitOf(webhook.RateLimit);
        var endpoint = EndpointOf(webhook);
        if (endpoint.Known is { } known && clock.GetUtcNow() - endpoint.ReadAt <= policy.StateRefresh && EndpointAdmission.Unrestricted(known, limit, clock.GetUtcNow()))
        {
            return Admission.Send;
        }
        var admission = await ChangeAsync(endpoint, (state, now) => EndpointAdmission.Admit(state, limit, policy, deliveryId, now), cancellationToken)
            ?? Admission.Hold(clock.GetUtcNow() + policy.RateTolerance, HoldReason.RateLimit);
        if (admission.Reason is { } reason)
        {
            telemetry.Held(reason);
        }
        return admission;
    }

    /// <summary>
    /// Folds an attempt's outcome into the endpoint's state in the background: the attempt is
    /// recorded already, and a lost observation costs no more than one data point of the breaker.
    /// </summary>
    public void Observe(Webhook webhook, AttemptOutcome outcome, bool probe) => _ = ObserveAsync(webhook, outcome, probe);

    /// <summary>The endpoint's state as this host last saw it, read afresh when older than the refresh interval.</summary>
    public async Task<EndpointState> StateAsync(string organizationId, string webhookId, CancellationToken cancellationToken)
    {
        var endpoint = endpoints.GetOrAdd((organizationId, webhookId), key => new Endpoint(key.Item1, key.Item2));
        if (endpoint.Known is { } known && clock.GetUtcNow() - endpoint.ReadAt <= options.Value.StateRefresh)
        {
            return known;
        }
        return await store.GetAsync(organizationId, webhookId, cancellationToken);
    }

    public void Dispose()
    {
        foreach (var endpoint in endpoints.Values)
        {
            endpoint.Turn.Dispose();
        }
    }

    private async Task ObserveAsync(Webhook webhook, AttemptOutcome outcome, bool probe)
    {
        try
        {
            var policy = options.Value;
            var limit = policy.LimitOf(webhook.RateLimit);
            var before = EndpointOf(webhook).Known;
            await ChangeAsync(EndpointOf(webhook), (state, now) => (true, EndpointAdmission.Observe(state, limit, policy, outcome, probe, now)), CancellationToken.None);
            if (EndpointOf(webhook).Known is { } after && before?.CircuitOpen != after.CircuitOpen)
            {
                LogCircuit(webhook.Id, after.CircuitOpen ? "opened" : "closed", after.ConsecutiveFailures);
            }
        }
        catch (Exception e)
        {
            LogObservationLost(e, webhook.Id);
        }
    }

    private Endpoint EndpointOf(Webhook webhook)
    {
        var endpoint = endpoints.GetOrAdd((webhook.OrganizationId, webhook.Id), key => new Endpoint(key.Item1, key.Item2));
        telemetry.Track(webhook.Id, () => endpoint.Known, options.Value.LimitOf(webhook.RateLimit));
        return endpoint;
    }

    /// <summary>
    /// Decides on the endpoint's current state and records the state the decision leaves, if it
    /// changed; from a fresh read and again when another host wrote first. Null after
    /// <see cref="MostTries"/> lost races.
    /// </summary>
    private async Task<T?> ChangeAsync<T>(Endpoint endpoint, Func<EndpointState, DateTimeOffset, (T Result, EndpointState State)> decide, CancellationToken cancellationToken)
    {
        await endpoint.Turn.WaitAsync(cancellationToken);
        try
        {
            for (var tries = 0; tries < MostTries; tries++)
            {
                var now = clock.GetUtcNow();
                if (endpoint.Known is not { } state || now - endpoint.ReadAt > options.Value.StateRefresh)
                {
                    state = await store.GetAsync(endpoint.OrganizationId, endpoint.WebhookId, cancellationToken);
                    endpoint.Remember(state, now);
                }
                var (result, next) = decide(state, now);
                if (next == state)
                {
                    return result;
                }
                if (await store.TryWriteAsync(next, cancellationToken) is { } written)
                {
                    endpoint.Remember(written, now);
                    return result;
                }
                endpoint.Forget();
            }
            LogContended(endpoint.WebhookId, MostTries);
            return default;
        }
        finally
        {
            endpoint.Turn.Release();
        }
    }

    [LoggerMessage(4601, LogLevel.Warning, "Webhook {WebhookId}: the circuit {Change} after {Failures} consecutive failures")]
    private partial void LogCircuit(string webhookId, string change, int failures);

    [LoggerMessage(4602, LogLevel.Warning, "Webhook {WebhookId}: an attempt's outcome could not be recorded on the endpoint's state")]
    private partial void LogObservationLost(Exception e, string webhookId);

    [LoggerMessage(4603, LogLevel.Warning, "Webhook {WebhookId}: the endpoint's state changed under {Tries} writes in a row; the delivery waits a moment")]
    private partial void LogContended(string webhookId, int tries);

    /// <summary>One endpoint as this process sees it: its turn (one decision at a time) and the state last read or written.</summary>
    private sealed class Endpoint(string organizationId, string webhookId)
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public EndpointState? Known { get; private set; }

        public DateTimeOffset ReadAt { get; private set; }

        public string OrganizationId => organizationId;

        public string WebhookId => webhookId;

        public void Remember(EndpointState state, DateTimeOffset at)
        {
            (Known, ReadAt) = (state, at);
        }

        public void Forget() => Known = null;
    }
}
