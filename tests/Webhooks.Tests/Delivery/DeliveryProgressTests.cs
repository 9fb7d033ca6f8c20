using Webhooks.Delivery;
using Webhooks.Storage;

namespace Webhooks.Tests.Delivery;

/// <summary>How a delivery record moves on after an attempt and a decision, and how a resend starts a new run.</summary>
public sealed class DeliveryProgressTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Created.AddMinutes(10);

    private static DeliveryRecord Delivery() => DeliveryRecord.Pending("org-1", "wh_1", "evt_1", "build_completed", [], Created) with
    {
        AttemptCount = 4,
        RunAttempt = 1,
        Run = 2,
        LastStatusCode = 500,
    };

    private static AttemptRecord Attempt(int number, int runAttempt, int? status) => new()
    {
        Number = number,
        Run = 2,
        RunAttempt = runAttempt,
        AttemptedAt = Now,
        Duration = TimeSpan.FromMilliseconds(30),
        Url = "https://receiver.example.com/hooks",
        RequestHeaders = [],
        RequestBody = "{}",
        ResponseStatus = status,
    };

    [Fact]
    public void AWaitKeepsTheDeliveryPendingUntilTheNextAttempt()
    {
        var until = Now.AddSeconds(5);

        var after = DeliveryProgress.After(Delivery(), Attempt(5, 2, 503), new DeliveryDecision.Wait(until, 3), Now);

        Assert.Equal(DeliveryStatus.Pending, after.Status);
        Assert.Equal(until, after.NextAttemptAt);
        Assert.Equal(5, after.AttemptCount);
        Assert.Equal(2, after.RunAttempt);
        Assert.Equal(503, after.LastStatusCode);
        Assert.Null(after.FinishedAt);
    }

    [Fact]
    public void ASuccessFinishesTheDeliveryAndClearsAnyFailureReason()
    {
        var after = DeliveryProgress.After(Delivery() with { FailureReason = "exhausted" }, Attempt(5, 2, 204), new DeliveryDecision.Succeeded(), Now);

        Assert.Equal(DeliveryStatus.Succeeded, after.Status);
        Assert.Equal(Now, after.FinishedAt);
        Assert.Null(after.NextAttemptAt);
        Assert.Null(after.FailureReason);
        Assert.Equal(204, after.LastStatusCode);
    }

    [Fact]
    public void AnExhaustedRunEndsAsExhausted()
    {
        var after = DeliveryProgress.After(Delivery(), Attempt(5, 2, 500), new DeliveryDecision.Failed(FailureReason.Exhausted, false), Now);

        Assert.Equal(DeliveryStatus.Exhausted, after.Status);
        Assert.Equal("exhausted", after.FailureReason);
        Assert.Equal(Now, after.FinishedAt);
        Assert.Null(after.NextAttemptAt);
    }

    [Fact]
    public void GoneEndsAsFailedWithTheGoneReason()
    {
        var after = DeliveryProgress.After(Delivery(), Attempt(5, 2, 410), new DeliveryDecision.Failed(FailureReason.Gone, true), Now);

        Assert.Equal(DeliveryStatus.Failed, after.Status);
        Assert.Equal("gone", after.FailureReason);
        Assert.Equal(410, after.LastStatusCode);
    }

    [Fact]
    public void NothingSentToADisabledWebhookLeavesTheCountsAndEndsAsWebhookDisabled()
    {
        var before = Delivery();

        var after = DeliveryProgress.After(before, attempt: null, new DeliveryDecision.Failed(FailureReason.WebhookDisabled, false), Now);

        Assert.Equal(DeliveryStatus.Failed, after.Status);
        Assert.Equal("webhook_disabled", after.FailureReason);
        Assert.Equal(before.AttemptCount, after.AttemptCount);
        Assert.Equal(before.RunAttempt, after.RunAttempt);
        Assert.Equal(before.LastStatusCode, after.LastStatusCode);
    }

    [Fact]
    public void WithoutADecisionTheAttemptIsCountedAndNothingIsScheduled()
    {
        var after = DeliveryProgress.After(Delivery(), Attempt(5, 2, 500), decision: null, Now);

        Assert.Equal(DeliveryStatus.Pending, after.Status);
        Assert.Equal(5, after.AttemptCount);
        Assert.Null(after.NextAttemptAt);
        Assert.Null(after.FinishedAt);
    }

    [Fact]
    public void AResendStartsANewRunDueNowAndKeepsTheHistoryCount()
    {
        var finished = Delivery() with
        {
            Status = DeliveryStatus.Exhausted,
            RunAttempt = 8,
            FinishedAt = Created.AddMinutes(5),
            FailureReason = "exhausted",
            LeaseOwner = "message-1",
            LeaseUntil = Now.AddMinutes(1),
            ScheduledBy = "message-1",
        };

        var resent = DeliveryProgress.Resent(finished, Now);

        Assert.Equal(DeliveryStatus.Pending, resent.Status);
        Assert.Equal(3, resent.Run);
        Assert.Equal(0, resent.RunAttempt);
        Assert.Equal(Now, resent.RunStartedAt);
        Assert.Equal(Now, resent.NextAttemptAt);
        Assert.Null(resent.FinishedAt);
        Assert.Null(resent.FailureReason);
        Assert.Null(resent.LeaseOwner);
        Assert.Null(resent.LeaseUntil);
        Assert.Null(resent.ScheduledBy);
        Assert.Equal(finished.AttemptCount, resent.AttemptCount);
        Assert.Equal(finished.DeliveryId, resent.DeliveryId);
        Assert.Equal(finished.CreatedAt, resent.CreatedAt);
    }
}
