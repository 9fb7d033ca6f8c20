using FsCheck;
using FsCheck.Xunit;
using Webhooks.Model;
using Webhooks.Protection;

namespace Webhooks.Tests.Protection;

/// <summary>The pure endpoint admission: what holds for any rate, any arrivals and any lateness of the drivers' wake-ups.</summary>
public sealed class EndpointAdmissionProperties
{
    private static readonly ProtectionPolicy Policy = new();
    private static readonly DateTimeOffset Now = AdmissionSimulation.Start;

    private static Func<int, int, TimeSpan> Lateness(int seed, int mostMilliseconds) =>
        (delivery, ask) => TimeSpan.FromMilliseconds(new Random(HashCode.Combine(seed, delivery, ask)).Next(0, mostMilliseconds + 1));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>The state after the endpoint's successes have raised its rate back to its limit.</summary>
    private static EndpointState Recovered(EndpointState state, int limit, DateTimeOffset now)
    {
        while (state.SlowedRate is not null)
        {
            state = EndpointAdmission.Observe(state, limit, Policy, new AttemptOutcome(200), probe: false, now);
        }
        return state;
    }

    private static List<DateTimeOffset> Arrivals(int count, int seed, int spreadMilliseconds)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Now + TimeSpan.FromMilliseconds(random.Next(0, spreadMilliseconds + 1)))];
    }

    [Property(MaxTest = 60)]
    public bool NoWindowHoldsMoreThanTheRateAllows(PositiveInt rawLimit, PositiveInt rawCount, int seed, NonNegativeInt rawLateness, NonNegativeInt rawSpread)
    {
        var limit = (rawLimit.Get % 100) + 1;
        var simulation = new AdmissionSimulation(Policy, limit, Lateness(seed, rawLateness.Get % 5000))
            .Run(Arrivals((rawCount.Get % 400) + 1, seed, rawSpread.Get % 20_000));
        return new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10) }
            .All(w => simulation.BusiestWindow(w) <= AdmissionSimulation.Allowed(limit, w, Policy));
    }

    [Property(MaxTest = 60)]
    public bool ABacklogDrainsAtTheRateEvenWhenWakeUpsComeLate(PositiveInt rawLimit, PositiveInt rawCount, int seed, NonNegativeInt rawLateness)
    {
        // The run-away this guards against: late wake-ups losing their turn and going to the back, so the endpoint sat idle.
        var limit = (rawLimit.Get % 100) + 1;
        var count = (rawCount.Get % 400) + 1;
        var lateness = TimeSpan.FromMilliseconds(rawLateness.Get % 5000);
        var simulation = new AdmissionSimulation(Policy, limit, Lateness(seed, (int)lateness.TotalMilliseconds)).Run(Arrivals(count, seed, 0));
        var drained = simulation.Sends.Max() - Now;
        var ideal = TimeSpan.FromSeconds(count / (double)limit);
        return simulation.Sends.Count == count
            && drained <= (ideal * 1.25) + (lateness * 2) + TimeSpan.FromSeconds(1)
            && simulation.Asks <= count * 4;
    }

    [Property(MaxTest = 40)]
    public bool ABacklogHeldWhileTheEndpointWasSlowedDrainsAtItsLimitOnceItRecovers(PositiveInt rawLimit, PositiveInt rawCount, int seed, NonNegativeInt rawSlowFor)
    {
        // The run-away this guards against: wake-ups spaced at the slowed rate (0.2/s: five seconds apart) kept a
        // recovered endpoint idle for as long as the backlog took at that rate.
        var limit = (rawLimit.Get % 100) + 1;
        var count = (rawCount.Get % 400) + 1;
        var recovered = Now + TimeSpan.FromSeconds(rawSlowFor.Get % 60);
        var simulation = new AdmissionSimulation(Policy, limit, Lateness(seed, 500), (now, state) => now < recovered ? state : Recovered(state, limit, now))
        {
            State = EndpointState.Fresh("org", "wh") with { SlowedRate = Policy.MinRate, SlowedAt = Now },
        }.Run(Arrivals(count, seed, 0));
        var ideal = TimeSpan.FromSeconds(count / (double)limit);
        return simulation.Sends.Count == count
            && simulation.Sends.Max() <= Max(recovered, Now) + (ideal * 1.25) + TimeSpan.FromSeconds(2);
    }

    [Property(MaxTest = 60)]
    public bool AHeldDeliveryIsAlwaysGivenATurnAfterNow(PositiveInt rawLimit, PositiveInt rawCount, int seed, NonNegativeInt rawLateness)
    {
        var simulation = new AdmissionSimulation(Policy, (rawLimit.Get % 50) + 1, Lateness(seed, rawLateness.Get % 3000))
            .Run(Arrivals((rawCount.Get % 200) + 1, seed, 2000));
        return simulation.TurnsInThePast == 0;
    }

    [Property]
    public bool AnUnrestrictedEndpointAdmitsEverythingWithoutAChange(NonNull<string> deliveryId, int offsetSeconds)
    {
        var state = EndpointState.Fresh("org", "wh");
        var (admission, next) = EndpointAdmission.Admit(state, null, Policy, deliveryId.Get, Now + TimeSpan.FromSeconds(offsetSeconds % 100_000));
        return admission == Admission.Send && ReferenceEquals(next, state);
    }

    [Property]
    public bool TheCircuitOpensAtTheThresholdAndNotBefore(PositiveInt rawThreshold)
    {
        var policy = new ProtectionPolicy { CircuitThreshold = (rawThreshold.Get % 30) + 1 };
        var state = EndpointState.Fresh("org", "wh");
        for (var i = 1; i <= policy.CircuitThreshold; i++)
        {
            if (state.CircuitOpen)
            {
                return false;
            }
            state = EndpointAdmission.Observe(state, null, policy, AttemptOutcome.NoResponse("refused"), probe: false, Now);
        }
        return state.CircuitOpen && state.ConsecutiveFailures == policy.CircuitThreshold;
    }

    [Property]
    public bool AnyAnswerBelow500EndsTheFailureRun(PositiveInt rawFailures, PositiveInt rawStatus)
    {
        int[] answers = [200, 201, 204, 301, 400, 401, 404, 409, 410, 422, 429];
        var state = EndpointState.Fresh("org", "wh");
        for (var i = 0; i < rawFailures.Get % 9; i++)
        {
            state = EndpointAdmission.Observe(state, null, Policy, new AttemptOutcome(500), probe: false, Now);
        }
        state = EndpointAdmission.Observe(state, null, Policy, new AttemptOutcome(answers[rawStatus.Get % answers.Length]), probe: false, Now);
        return state.ConsecutiveFailures == 0 && !state.CircuitOpen;
    }

    [Property]
    public bool SlowingDownNeverGoesBelowTheFloorNorSpeedingUpAboveTheLimit(PositiveInt rawLimit, NonEmptyArray<bool> throttles)
    {
        var limit = (rawLimit.Get % 500) + 1;
        var state = EndpointState.Fresh("org", "wh");
        var now = Now;
        foreach (var throttled in throttles.Get)
        {
            now += TimeSpan.FromSeconds(2);
            state = EndpointAdmission.Observe(state, limit, Policy, new AttemptOutcome(throttled ? 429 : 200), probe: false, now);
            var rate = EndpointAdmission.EffectiveRate(state, limit)!.Value;
            if (rate < Math.Min(Policy.MinRate, limit) || rate > limit)
            {
                return false;
            }
        }
        return true;
    }

    [Fact]
    public void ThrottlingHalvesTheRateOncePerBurstAndSuccessesRaiseItBackStepByStep()
    {
        var state = EndpointState.Fresh("org", "wh");
        // Ten 429s of sends that were in flight together are one signal.
        for (var i = 0; i < 10; i++)
        {
            state = EndpointAdmission.Observe(state, 50, Policy, new AttemptOutcome(429), probe: false, Now + TimeSpan.FromMilliseconds(i * 10));
        }
        Assert.Equal(25, EndpointAdmission.EffectiveRate(state, 50));
        state = EndpointAdmission.Observe(state, 50, Policy, new AttemptOutcome(503), probe: false, Now + TimeSpan.FromSeconds(2));
        Assert.Equal(12.5, EndpointAdmission.EffectiveRate(state, 50));
        for (var i = 0; i < 10; i++)
        {
            state = EndpointAdmission.Observe(state, 50, Policy, new AttemptOutcome(200), probe: false, Now + TimeSpan.FromSeconds(3));
        }
        Assert.Equal(22.5, EndpointAdmission.EffectiveRate(state, 50));
        for (var i = 0; i < 40; i++)
        {
            state = EndpointAdmission.Observe(state, 50, Policy, new AttemptOutcome(200), probe: false, Now + TimeSpan.FromSeconds(4));
        }
        Assert.Null(state.SlowedRate);
        Assert.Equal(50, EndpointAdmission.EffectiveRate(state, 50));
    }

    [Fact]
    public void AnEndpointWithoutALimitIsHeldToTheStartRateWhenItFirstThrottles()
    {
        var state = EndpointAdmission.Observe(EndpointState.Fresh("org", "wh"), null, Policy, new AttemptOutcome(429), probe: false, Now);
        Assert.Equal(Policy.ThrottledStartRate, EndpointAdmission.EffectiveRate(state, null));
        Assert.False(EndpointAdmission.Unrestricted(state, null, Now));
    }

    [Fact]
    public void RetryAfterPausesEveryDeliveryToTheEndpointUntilThen()
    {
        var state = EndpointAdmission.Observe(EndpointState.Fresh("org", "wh"), null, Policy, new AttemptOutcome(429, TimeSpan.FromSeconds(2)), probe: false, Now);
        var (held, _) = EndpointAdmission.Admit(state, null, Policy, "dlv_other", Now + TimeSpan.FromSeconds(1));
        Assert.Equal(HoldReason.RetryAfter, held.Reason);
        Assert.InRange(held.NotBefore!.Value, Now + TimeSpan.FromSeconds(2), Now + TimeSpan.FromSeconds(2) + Policy.ReleaseSpread);
        var (after, _) = EndpointAdmission.Admit(state, null, Policy, "dlv_other", Now + TimeSpan.FromSeconds(2.1));
        Assert.True(after.Admitted);
    }

    [Fact]
    public void AnOpenCircuitLetsOneProbeOutAtGrowingIntervalsAndItsSuccessClosesIt()
    {
        var policy = new ProtectionPolicy { CircuitThreshold = 3 };
        var state = EndpointState.Fresh("org", "wh");
        for (var i = 0; i < 3; i++)
        {
            state = EndpointAdmission.Observe(state, null, policy, new AttemptOutcome(502), probe: false, Now);
        }
        var (held, _) = EndpointAdmission.Admit(state, null, policy, "dlv_a", Now + TimeSpan.FromSeconds(1));
        Assert.Equal(HoldReason.CircuitOpen, held.Reason);
        Assert.True(held.NotBefore >= Now + policy.FirstProbeAfter);

        var probeAt = Now + policy.FirstProbeAfter;
        (var probe, state) = EndpointAdmission.Admit(state, null, policy, "dlv_a", probeAt);
        Assert.True(probe.Probe);
        var (second, _) = EndpointAdmission.Admit(state, null, policy, "dlv_b", probeAt + TimeSpan.FromSeconds(1));
        Assert.Equal(HoldReason.CircuitOpen, second.Reason);

        // A failed probe: the next one waits twice as long.
        state = EndpointAdmission.Observe(state, null, policy, AttemptOutcome.NoResponse("timeout"), probe: true, probeAt + TimeSpan.FromSeconds(1));
        Assert.Equal(probeAt + TimeSpan.FromSeconds(1) + (policy.FirstProbeAfter * 2), state.NextProbeAt);
        // A delivery sent before the circuit opened that fails now does not move the probe.
        Assert.Equal(state.NextProbeAt, EndpointAdmission.Observe(state, null, policy, new AttemptOutcome(500), probe: false, probeAt + TimeSpan.FromSeconds(2)).NextProbeAt);

        (probe, state) = EndpointAdmission.Admit(state, null, policy, "dlv_c", state.NextProbeAt!.Value);
        Assert.True(probe.Probe);
        state = EndpointAdmission.Observe(state, null, policy, new AttemptOutcome(200), probe: true, state.NextProbeAt!.Value + TimeSpan.FromSeconds(1));
        Assert.False(state.CircuitOpen);
        Assert.True(EndpointAdmission.Admit(state, null, policy, "dlv_d", Now + TimeSpan.FromMinutes(1)).Admission.Admitted);
    }

    [Fact]
    public void AProbeWhoseSenderStoppedIsReplacedOnceItsLeaseLapses()
    {
        var policy = new ProtectionPolicy { CircuitThreshold = 1 };
        var state = EndpointAdmission.Observe(EndpointState.Fresh("org", "wh"), null, policy, new AttemptOutcome(500), probe: false, Now);
        var probeAt = state.NextProbeAt!.Value;
        (_, state) = EndpointAdmission.Admit(state, null, policy, "dlv_a", probeAt);
        Assert.False(EndpointAdmission.Admit(state, null, policy, "dlv_b", probeAt + policy.ProbeLease - TimeSpan.FromSeconds(1)).Admission.Admitted);
        Assert.True(EndpointAdmission.Admit(state, null, policy, "dlv_b", probeAt + policy.ProbeLease).Admission.Probe);
    }

    [Fact]
    public void TheBreakerIsOffAtThresholdZero()
    {
        var policy = new ProtectionPolicy { CircuitThreshold = 0 };
        var state = EndpointState.Fresh("org", "wh");
        for (var i = 0; i < 100; i++)
        {
            state = EndpointAdmission.Observe(state, null, policy, new AttemptOutcome(500), probe: false, Now);
        }
        Assert.False(state.CircuitOpen);
    }
}
