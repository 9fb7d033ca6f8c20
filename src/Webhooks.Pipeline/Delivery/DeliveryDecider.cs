using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Webhooks.Model;

namespace Webhooks.Delivery;

/// <summary>
/// The delivery workflow as a pure function of (policy, attempt, outcome, now). It does no I/O and
/// reads no clock or random source, so a Durable orchestrator may call it while replaying: the
/// jitter comes from the delivery id and the attempt number.
/// </summary>
public static class DeliveryDecider
{
    /// <summary>Decides what follows attempt <paramref name="attempt"/> (1-based) of <paramref name="deliveryId"/>.</summary>
    public static DeliveryDecision Next(RetryPolicy policy, string deliveryId, int attempt, AttemptOutcome outcome, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (outcome.WebhookUnavailable)
        {
            return new DeliveryDecision.Failed(FailureReason.WebhookDisabled, DisableWebhook: false);
        }
        if (outcome.DestinationRefused)
        {
            // Retrying cannot help a refusal within a run, and each retry would probe the same internal name again.
            return new DeliveryDecision.Failed(FailureReason.DestinationNotAllowed, DisableWebhook: false);
        }
        if (outcome.IsSuccess)
        {
            return new DeliveryDecision.Succeeded();
        }
        if (outcome.StatusCode == 410)
        {
            return new DeliveryDecision.Failed(FailureReason.Gone, DisableWebhook: true);
        }
        if (attempt >= policy.MaxAttempts)
        {
            return new DeliveryDecision.Failed(FailureReason.Exhausted, DisableWebhook: false);
        }
        var delay = Jittered(policy, deliveryId, attempt + 1);
        if (outcome.StatusCode is 429 or 503 && outcome.RetryAfter is { } asked)
        {
            var honoured = asked < TimeSpan.Zero ? TimeSpan.Zero : asked > policy.RetryAfterCap ? policy.RetryAfterCap : asked;
            delay = honoured > delay ? honoured : delay;
        }
        return new DeliveryDecision.Wait(now + delay, attempt + 1);
    }

    /// <summary>The scheduled delay before <paramref name="attempt"/>, moved by a deterministic jitter.</summary>
    public static TimeSpan Jittered(RetryPolicy policy, string deliveryId, int attempt)
    {
        var scheduled = policy.Schedule[attempt - 1];
        var factor = 1 + (policy.JitterFraction * ((2 * UnitFraction(deliveryId, attempt)) - 1));
        return TimeSpan.FromTicks((long)(scheduled.Ticks * factor));
    }

    /// <summary>A number in [0, 1) fixed by (delivery id, attempt), spread evenly over deliveries.</summary>
    private static double UnitFraction(string deliveryId, int attempt)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{deliveryId}:{attempt}"), hash);
        return (BinaryPrimitives.ReadUInt64LittleEndian(hash) >> 11) / (double)(1UL << 53);
    }
}
