using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Webhooks.Management;

namespace Webhooks.Api;

/// <summary>
/// The events each organization may publish over HTTP: a token bucket per organization, in this
/// instance's memory, so the limit applies per instance (n instances accept up to n times the rate).
/// </summary>
public sealed class EventRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly QuotaOptions quotas;

    public EventRateLimiter(IOptions<QuotaOptions> options)
    {
        quotas = options.Value;
        var rate = quotas.EventsPerSecondPerOrganization;
        // The bucket refills in whole tokens: a rate under one a second is one token per 1/rate seconds.
        var (tokens, period) = rate >= 1 ? ((int)Math.Floor(rate), TimeSpan.FromSeconds(1)) : (1, TimeSpan.FromSeconds(1 / rate));
        limiter = PartitionedRateLimiter.Create<string, string>(organizationId => RateLimitPartition.GetTokenBucketLimiter(organizationId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = quotas.EventBurstPerOrganization,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Takes one event from <paramref name="organizationId"/>'s allowance, or refuses with 429 and the time to wait.</summary>
    public void Acquire(string organizationId)
    {
        using var lease = limiter.AttemptAcquire(organizationId);
        if (lease.IsAcquired)
        {
            return;
        }
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var rate = quotas.EventsPerSecondPerOrganization.ToString(CultureInfo.InvariantCulture);
        throw new ApiProblemException(StatusCodes.Status429TooManyRequests, "Too many events",
            $"An organization may publish {rate} events per second over HTTP, in bursts of up to {quotas.EventBurstPerOrganization}. Retry after the time in Retry-After.")
        {
            RetryAfter = wait,
        };
    }

    public void Dispose() => limiter.Dispose();
}
