using FsCheck;
using FsCheck.Xunit;
using Webhooks.Delivery;
using Webhooks.Model;

namespace Webhooks.Tests.Delivery;

/// <summary>The pure delivery decision: properties over arbitrary inputs, and the cases customers rely on.</summary>
public sealed class DeliveryDecisionTests
{
    private static readonly RetryPolicy Policy = new();
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly int[] StatusCodes = [200, 204, 301, 302, 400, 404, 408, 410, 429, 500, 502, 503, 504];

    private static AttemptOutcome Outcome(int statusIndex, int retryAfterSeconds, bool noResponse) =>
        noResponse
            ? AttemptOutcome.NoResponse("connection reset")
            : new AttemptOutcome(StatusCodes[Math.Abs(statusIndex % StatusCodes.Length)], TimeSpan.FromSeconds(retryAfterSeconds));

    private static int Attempt(int raw) => (Math.Abs(raw % Policy.MaxAttempts)) + 1;

    [Property]
    public bool WaitsAreNeverNegativeNorBeyondTheCap(NonNull<string> deliveryId, int rawAttempt, int statusIndex, int retryAfterSeconds, bool noResponse)
    {
        var decision = DeliveryDecider.Next(Policy, deliveryId.Get, Attempt(rawAttempt), Outcome(statusIndex, retryAfterSeconds % 100_000, noResponse), Now);
        if (decision is not DeliveryDecision.Wait wait)
        {
            return true;
        }
        var longestScheduled = Policy.Schedule.Max() * (1 + Policy.JitterFraction);
        var cap = longestScheduled > Policy.RetryAfterCap ? longestScheduled : Policy.RetryAfterCap;
        return wait.Until >= Now && wait.Until - Now <= cap;
    }

    [Property]
    public bool AttemptsAreBoundedByTheSchedule(NonNull<string> deliveryId, int rawAttempt, int statusIndex, bool noResponse)
    {
        var attempt = Attempt(rawAttempt);
        var decision = DeliveryDecider.Next(Policy, deliveryId.Get, attempt, Outcome(statusIndex, 0, noResponse), Now);
        return decision switch
        {
            DeliveryDecision.Wait wait => wait.NextAttempt == attempt + 1 && wait.NextAttempt <= Policy.MaxAttempts,
            DeliveryDecision.Failed { Reason: FailureReason.Exhausted } => attempt == Policy.MaxAttempts,
            _ => true,
        };
    }

    [Property]
    public bool JitterStaysWithinTwentyPercent(NonNull<string> deliveryId, int rawAttempt)
    {
        var attempt = Attempt(rawAttempt);
        var scheduled = Policy.Schedule[attempt - 1];
        var jittered = DeliveryDecider.Jittered(Policy, deliveryId.Get, attempt);
        return Math.Abs((jittered - scheduled).Ticks) <= scheduled.Ticks * Policy.JitterFraction;
    }

    [Property]
    public bool TheDecisionIsDeterministic(NonNull<string> deliveryId, int rawAttempt, int statusIndex, int retryAfterSeconds, bool noResponse)
    {
        var outcome = Outcome(statusIndex, retryAfterSeconds % 100_000, noResponse);
        return DeliveryDecider.Next(Policy, deliveryId.Get, Attempt(rawAttempt), outcome, Now)
            == DeliveryDecider.Next(Policy, deliveryId.Get, Attempt(rawAttempt), outcome, Now);
    }

    [Fact]
    public void JitterSpreadsDeliveriesAcrossTheWholeRange()
    {
        var factors = Enumerable.Range(0, 2000)
            .Select(i => DeliveryDecider.Jittered(Policy, $"dlv_{i}", 3) / Policy.Schedule[2])
            .ToArray();
        Assert.True(factors.Min() < 0.82, $"lowest factor {factors.Min()}");
        Assert.True(factors.Max() > 1.18, $"highest factor {factors.Max()}");
    }

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(299)]
    public void AnyTwoHundredIsSuccess(int status) =>
        Assert.IsType<DeliveryDecision.Succeeded>(DeliveryDecider.Next(Policy, "dlv", 1, new AttemptOutcome(status), Now));

    [Fact]
    public void GoneEndsTheDeliveryAndDisablesTheWebhookAtOnce() =>
        Assert.Equal(new DeliveryDecision.Failed(FailureReason.Gone, DisableWebhook: true), DeliveryDecider.Next(Policy, "dlv", 1, new AttemptOutcome(410), Now));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ARefusedDestinationEndsTheRunWithoutARetryAndWithoutDisablingTheWebhook(int attempt) =>
        Assert.Equal(new DeliveryDecision.Failed(FailureReason.DestinationNotAllowed, DisableWebhook: false),
            DeliveryDecider.Next(Policy, "dlv", attempt, AttemptOutcome.Refused("Destination not allowed"), Now));

    [Theory]
    [InlineData(301)]
    [InlineData(500)]
    [InlineData(null)]
    public void FailuresAreRetriedOnTheSchedule(int? status)
    {
        var outcome = status is null ? AttemptOutcome.NoResponse("timeout") : new AttemptOutcome(status);
        var wait = Assert.IsType<DeliveryDecision.Wait>(DeliveryDecider.Next(Policy, "dlv", 1, outcome, Now));
        Assert.Equal(2, wait.NextAttempt);
        Assert.InRange(wait.Until - Now, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public void TheLastFailedAttemptExhaustsTheDelivery() =>
        Assert.Equal(new DeliveryDecision.Failed(FailureReason.Exhausted, DisableWebhook: false),
            DeliveryDecider.Next(Policy, "dlv", Policy.MaxAttempts, new AttemptOutcome(500), Now));

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public void RetryAfterIsHonoured(int status)
    {
        var wait = Assert.IsType<DeliveryDecision.Wait>(DeliveryDecider.Next(Policy, "dlv", 1, new AttemptOutcome(status, TimeSpan.FromMinutes(2)), Now));
        Assert.Equal(Now + TimeSpan.FromMinutes(2), wait.Until);
    }

    [Fact]
    public void RetryAfterIsCapped()
    {
        var wait = Assert.IsType<DeliveryDecision.Wait>(DeliveryDecider.Next(Policy, "dlv", 1, new AttemptOutcome(429, TimeSpan.FromDays(3)), Now));
        Assert.Equal(Now + Policy.RetryAfterCap, wait.Until);
    }

    [Fact]
    public void RetryAfterOnOtherStatusesIsIgnored()
    {
        var wait = Assert.IsType<DeliveryDecision.Wait>(DeliveryDecider.Next(Policy, "dlv", 1, new AttemptOutcome(500, TimeSpan.FromMinutes(30)), Now));
        Assert.True(wait.Until - Now < TimeSpan.FromMinutes(1));
    }
}
