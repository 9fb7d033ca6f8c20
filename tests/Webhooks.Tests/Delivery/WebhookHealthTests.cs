using Webhooks.Delivery;
using Webhooks.Model;

namespace Webhooks.Tests.Delivery;

/// <summary>The auto-disable rule for an exhausted run: the whole window without a success, no less.</summary>
public sealed class WebhookHealthTests
{
    private static readonly DateTimeOffset RunStarted = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromDays(5);

    private static Webhook Webhook(DateTimeOffset? failingSince = null, DateTimeOffset? lastSuccessAt = null) => new()
    {
        OrganizationId = "org-1",
        Id = ResourceIds.NewWebhookId(),
        Name = "builds",
        Type = WebhookType.Generic,
        Url = "https://receiver.example.com/hooks",
        DisplayUrl = "https://receiver.example.com/hooks",
        Events = EventSubscription.Everything,
        Projects = ProjectFilter.AllProjects,
        Enabled = true,
        CreatedAt = RunStarted.AddDays(-30),
        UpdatedAt = RunStarted.AddDays(-30),
        FailingSince = failingSince,
        LastSuccessAt = lastSuccessAt,
        Secrets = SecretReferences.None,
    };

    [Fact]
    public void AnExhaustedRunShorterThanTheWindowOnlyRecordsSinceWhenItFails()
    {
        var verdict = WebhookHealth.OnExhausted(Webhook(), RunStarted, RunStarted + Window - TimeSpan.FromSeconds(1), Window);

        Assert.Null(verdict.DisableReason);
        Assert.Equal(RunStarted, verdict.FailingSince);
    }

    [Fact]
    public void FailingForTheWholeWindowDisablesWithAReasonNamingTheWindow()
    {
        var verdict = WebhookHealth.OnExhausted(Webhook(), RunStarted, RunStarted + Window, Window);

        Assert.NotNull(verdict.DisableReason);
        Assert.Contains("No delivery succeeded for 5 days", verdict.DisableReason, StringComparison.Ordinal);
        Assert.Equal(RunStarted, verdict.FailingSince);
    }

    [Fact]
    public void AnEarlierRecordedFailureStreakIsKeptAndCountsTowardsTheWindow()
    {
        var streakStart = RunStarted.AddDays(-6);
        var now = RunStarted.AddHours(1);

        var verdict = WebhookHealth.OnExhausted(Webhook(failingSince: streakStart), RunStarted, now, Window);

        Assert.Equal(streakStart, verdict.FailingSince);
        Assert.NotNull(verdict.DisableReason);
    }

    [Fact]
    public void ARecordedStreakLaterThanTheRunStartIsReplacedByTheRunStart()
    {
        var verdict = WebhookHealth.OnExhausted(Webhook(failingSince: RunStarted.AddHours(2)), RunStarted, RunStarted.AddHours(3), Window);

        Assert.Equal(RunStarted, verdict.FailingSince);
        Assert.Null(verdict.DisableReason);
    }

    [Fact]
    public void ASuccessAfterTheStreakBeganResetsIt()
    {
        var streakStart = RunStarted.AddDays(-10);
        var success = RunStarted.AddDays(-1);

        var verdict = WebhookHealth.OnExhausted(Webhook(failingSince: streakStart, lastSuccessAt: success), RunStarted, RunStarted.AddHours(1), Window);

        // The old streak is over; the new one began with this run, after the success.
        Assert.Equal(RunStarted, verdict.FailingSince);
        Assert.Null(verdict.DisableReason);
    }

    [Fact]
    public void AnOldStreakEndedByASuccessDoesNotCountAgainstALaterRun()
    {
        // Last success on day -10, a streak recorded on day -40 before it, and now a run of day -1 exhausts:
        // the webhook has been failing for a day, not for forty.
        var verdict = WebhookHealth.OnExhausted(
            Webhook(failingSince: RunStarted.AddDays(-40), lastSuccessAt: RunStarted.AddDays(-10)), RunStarted.AddDays(-1), RunStarted, Window);

        Assert.Equal(RunStarted.AddDays(-1), verdict.FailingSince);
        Assert.Null(verdict.DisableReason);
    }

    [Fact]
    public void ASuccessBeforeTheStreakBeganDoesNotResetIt()
    {
        var streakStart = RunStarted.AddDays(-6);

        var verdict = WebhookHealth.OnExhausted(Webhook(failingSince: streakStart, lastSuccessAt: streakStart.AddDays(-1)), RunStarted, RunStarted, Window);

        Assert.Equal(streakStart, verdict.FailingSince);
        Assert.NotNull(verdict.DisableReason);
    }

    [Fact]
    public void ASuccessOlderThanTheWindowDoesNotProtectAWebhookWhoseStreakIsThatOld()
    {
        var success = RunStarted.AddDays(-7);

        var verdict = WebhookHealth.OnExhausted(Webhook(failingSince: success.AddMinutes(1), lastSuccessAt: success), RunStarted, RunStarted, Window);

        Assert.NotNull(verdict.DisableReason);
    }
}
