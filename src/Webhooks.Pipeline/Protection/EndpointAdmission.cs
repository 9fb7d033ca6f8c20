using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Webhooks.Model;

namespace Webhooks.Protection;

/// <summary>
/// Endpoint protection as pure functions of (state, limit, policy, now), beside the retry decision:
/// <see cref="Admit"/> says whether a delivery may go now, <see cref="Observe"/> folds an attempt's
/// outcome into the state. No I/O, no clock, no random source, so every host and both drivers decide
/// alike from the same row. The rate is a generic cell rate algorithm: sends are spaced one interval
/// apart, and one may go up to <see cref="ProtectionPolicy.RateTolerance"/> early, so a window of
/// length W never holds more than rate × (W + tolerance) + 1 sends. Held deliveries are given
/// wake-ups one interval of the endpoint's own pace apart, in the order they asked, and ask again
/// then; one that finds no room is held again at the back of the line, so a late wake-up never
/// sends out of turn and a slowed endpoint that recovers is sent to at once.
/// </summary>
public static class EndpointAdmission
{
    /// <summary>Whether a delivery may be sent to the endpoint now, and the state that records it.</summary>
    public static (Admission Admission, EndpointState State) Admit(EndpointState state, int? limit, ProtectionPolicy policy, string deliveryId, DateTimeOffset now)
    {
        if (state.CircuitOpen)
        {
            var probeOut = state.ProbeOutUntil > now;
            if (!probeOut && state.NextProbeAt <= now)
            {
                return (Admission.AsProbe, state with { ProbeOutUntil = now + policy.ProbeLease });
            }
            // Held deliveries ask again when the next probe may go, or while one is out, every first-probe interval.
            var wake = probeOut ? Max(state.NextProbeAt!.Value, Min(state.ProbeOutUntil!.Value, now + policy.FirstProbeAfter)) : state.NextProbeAt!.Value;
            return (Admission.Hold(Spread(wake, policy, deliveryId), HoldReason.CircuitOpen), state);
        }
        if (state.PausedUntil is { } paused && paused > now)
        {
            return (Admission.Hold(Spread(paused, policy, deliveryId), HoldReason.RetryAfter), state);
        }
        if (EffectiveRate(state, limit) is not { } rate)
        {
            return (Admission.Send, state);
        }
        var interval = Interval(rate);
        var next = state.NextSendAt ?? now;
        if (next - policy.RateTolerance <= now)
        {
            return (Admission.Send, state with { NextSendAt = Max(next, now) + interval });
        }
        // The line moves at the endpoint's own pace (its limit; without one, the rate it is first slowed to), not at a
        // slowed rate: spaced at 0.2/s, a thousand held deliveries would still be waiting hours after it recovered.
        // Held while it is slowed, most come back early and join the back of the line again.
        var linePace = Interval(Math.Max(rate, limit ?? policy.ThrottledStartRate));
        var wakeAt = Max(Min(next - policy.RateTolerance, now + linePace), state.LastWakeAt + linePace ?? now);
        return (Admission.Hold(wakeAt, HoldReason.RateLimit), state with { LastWakeAt = wakeAt });
    }

    /// <summary>The state after an attempt to the endpoint ended with <paramref name="outcome"/>; the same instance when nothing changed.</summary>
    public static EndpointState Observe(EndpointState state, int? limit, ProtectionPolicy policy, AttemptOutcome outcome, bool probe, DateTimeOffset now)
    {
        if (outcome.WebhookUnavailable || outcome.DestinationRefused)
        {
            return state;
        }
        var next = state;
        if (outcome.StatusCode is 429 or 503 && policy.AdaptiveSlowDown)
        {
            next = SlowedDown(next, limit, policy, outcome.RetryAfter, now);
        }
        if (outcome.StatusCode is null or >= 500)
        {
            return Failed(next, policy, probe, now);
        }
        // The endpoint answered: it is up, whatever it thought of the request.
        next = next with { ConsecutiveFailures = 0, CircuitOpenedAt = null, NextProbeAt = null, ProbeInterval = null, ProbeOutUntil = null };
        if (outcome.IsSuccess && next.SlowedRate is { } slowed)
        {
            var raised = slowed + policy.SpeedUpStep;
            next = raised >= (limit ?? policy.MaxRateLimit) ? next with { SlowedRate = null, SlowedAt = null } : next with { SlowedRate = raised };
            // The next send was booked at the slower rate: at the new one it comes no later than one interval from now.
            if (EffectiveRate(next, limit) is { } faster && now + Interval(faster) < next.NextSendAt)
            {
                next = next with { NextSendAt = now + Interval(faster) };
            }
        }
        return next == state ? state : next;
    }

    /// <summary>The rate deliveries go out at: the limit, or the slower rate the endpoint asked for; null when nothing limits it.</summary>
    public static double? EffectiveRate(EndpointState state, int? limit) =>
        state.SlowedRate is { } slowed ? limit is { } l ? Math.Min(slowed, l) : slowed : limit;

    /// <summary>Whether every delivery to the endpoint goes at once: no rate, no pause, circuit closed. Such a state needs no write to admit.</summary>
    public static bool Unrestricted(EndpointState state, int? limit, DateTimeOffset now) =>
        EffectiveRate(state, limit) is null && !state.CircuitOpen && !(state.PausedUntil > now);

    /// <summary>The time between two sends at <paramref name="rate"/> per second.</summary>
    public static TimeSpan Interval(double rate) => TimeSpan.FromTicks((long)Math.Ceiling(TimeSpan.TicksPerSecond / rate));

    private static EndpointState SlowedDown(EndpointState state, int? limit, ProtectionPolicy policy, TimeSpan? retryAfter, DateTimeOffset now)
    {
        var next = state;
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            var until = now + (asked < policy.LongestPause ? asked : policy.LongestPause);
            next = next with { PausedUntil = Max(until, next.PausedUntil ?? until) };
        }
        var current = EffectiveRate(state, limit);
        // 429s of sends already in flight when the first came back are one signal, not many.
        if (state.SlowedAt is { } cut && current is { } r && now - cut < Max(TimeSpan.FromSeconds(1), Interval(r)))
        {
            return next;
        }
        var slowed = current is { } rate ? Math.Max(policy.MinRate, rate * policy.SlowDownFactor) : policy.ThrottledStartRate;
        return next with { SlowedRate = slowed, SlowedAt = now };
    }

    private static EndpointState Failed(EndpointState state, ProtectionPolicy policy, bool probe, DateTimeOffset now)
    {
        var failures = state.ConsecutiveFailures + 1;
        if (state.CircuitOpen)
        {
            if (!probe)
            {
                // A delivery sent before the circuit opened: it changes nothing of the probe schedule.
                return state with { ConsecutiveFailures = failures };
            }
            var interval = state.ProbeInterval ?? policy.FirstProbeAfter;
            var longer = interval * 2 < policy.LongestProbeInterval ? interval * 2 : policy.LongestProbeInterval;
            return state with { ConsecutiveFailures = failures, NextProbeAt = now + interval, ProbeInterval = longer, ProbeOutUntil = null };
        }
        if (policy.CircuitThreshold > 0 && failures >= policy.CircuitThreshold)
        {
            var second = policy.FirstProbeAfter * 2 < policy.LongestProbeInterval ? policy.FirstProbeAfter * 2 : policy.LongestProbeInterval;
            return state with { ConsecutiveFailures = failures, CircuitOpenedAt = now, NextProbeAt = now + policy.FirstProbeAfter, ProbeInterval = second, ProbeOutUntil = null };
        }
        return state with { ConsecutiveFailures = failures };
    }

    /// <summary>
    /// <paramref name="time"/> moved later by a fraction of the release spread fixed by the delivery
    /// id and the time, so deliveries held for the same reason come back spread out rather than at
    /// one instant, in an order that changes from one release to the next: the first back after a
    /// probe time is the probe, and no delivery should spend all its attempts probing.
    /// </summary>
    private static DateTimeOffset Spread(DateTimeOffset time, ProtectionPolicy policy, string deliveryId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{deliveryId}@{time.UtcTicks}"), hash);
        var fraction = (BinaryPrimitives.ReadUInt64LittleEndian(hash) >> 11) / (double)(1UL << 53);
        return time + (policy.ReleaseSpread * fraction);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
