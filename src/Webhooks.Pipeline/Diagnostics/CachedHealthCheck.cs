using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Diagnostics;

/// <summary>
/// A readiness check that reaches a dependency at most once per <see cref="HealthOptions.CacheFor"/>
/// and gives up after <see cref="HealthOptions.Timeout"/>. Its result names no exception, address or
/// key: health answers are read by load balancers and anyone who can reach them.
/// </summary>
public abstract partial class CachedHealthCheck(IOptions<HealthOptions> options, TimeProvider clock, ILogger logger) : IHealthCheck
{
    private readonly Lock gate = new();
    private Task<HealthCheckResult>? probe;
    private DateTimeOffset probedAt;

    /// <summary>The last probe's result while it is fresh; callers arriving during a probe share it.</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (probe is null || (probe.IsCompleted && now - probedAt >= options.Value.CacheFor))
            {
                (probe, probedAt) = (ProbeWithinTimeoutAsync(), now);
            }
            return probe.WaitAsync(cancellationToken);
        }
    }

    /// <summary>One request to the dependency that succeeds only if it answered as a working one does.</summary>
    protected abstract Task ProbeAsync(CancellationToken cancellationToken);

    /// <summary>What the check says when it fails: the dependency's kind, never the error.</summary>
    protected abstract string Unreachable { get; }

    // Not the caller's cancellation: the probe is shared with whoever asks while it runs.
    private async Task<HealthCheckResult> ProbeWithinTimeoutAsync()
    {
        using var timeout = new CancellationTokenSource(options.Value.Timeout);
        try
        {
            await ProbeAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            // The answer says only what is down; the log says why, for the operator.
            LogUnhealthy(e, GetType().Name);
            return HealthCheckResult.Unhealthy(Unreachable);
        }
    }

    [LoggerMessage(7101, LogLevel.Warning, "Readiness check {Check} failed")]
    private partial void LogUnhealthy(Exception e, string check);
}
