using Webhooks.Delivery;
using Webhooks.Model;

namespace Webhooks.Tests.Delivery;

/// <summary>An attempt that found its webhook disabled or deleted ends the delivery; it is never retried.</summary>
public sealed class UnavailableWebhookDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public void AnUnavailableWebhookEndsTheDeliveryAsWebhookDisabledAtAnyAttempt(int attempt)
    {
        var decision = DeliveryDecider.Next(new RetryPolicy(), "dlv_x", attempt, AttemptOutcome.Unavailable("The webhook is disabled."), Now);

        var failed = Assert.IsType<DeliveryDecision.Failed>(decision);
        Assert.Equal(FailureReason.WebhookDisabled, failed.Reason);
        Assert.False(failed.DisableWebhook);
    }

    [Fact]
    public void AnUnavailableOutcomeRecordsWhyAndHasNoResponse()
    {
        var outcome = AttemptOutcome.Unavailable("The webhook was deleted.");

        Assert.True(outcome.WebhookUnavailable);
        Assert.Null(outcome.StatusCode);
        Assert.False(outcome.IsSuccess);
        Assert.Equal("The webhook was deleted.", outcome.Error);
    }

    [Fact]
    public void AFailureWithoutResponseIsRetriedUnlikeAnUnavailableWebhook()
    {
        var decision = DeliveryDecider.Next(new RetryPolicy(), "dlv_x", 1, AttemptOutcome.NoResponse("connection refused"), Now);

        Assert.IsType<DeliveryDecision.Wait>(decision);
    }
}
