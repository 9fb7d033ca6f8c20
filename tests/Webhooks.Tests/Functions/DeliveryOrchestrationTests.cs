using Webhooks.Delivery;
using Webhooks.Functions.Deliveries;

namespace Webhooks.Tests.Functions;

/// <summary>The Functions orchestrator on a recording context: its calls, timers and conclusion follow the library's decision, and replay repeats them.</summary>
public sealed class DeliveryOrchestrationTests
{
    private static readonly DateTime Start = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DeliveryTicket Ticket = new("org-1", "wh_0000000000000000000000000a", "dlv_0000000000000000000000000b", 1, RetrySnapshot.Of(new RetryPolicy()));

    private static RecordingOrchestrationContext Context(Func<int, AttemptOutcome> attempt) => new(Ticket, (name, input) => Task.FromResult<object?>(name switch
    {
        nameof(DeliveryActivities.AttemptDelivery) => attempt(RecordingOrchestrationContext.Read<AttemptRequest>(input).Attempt),
        nameof(DeliveryActivities.ConcludeDelivery) => null,
        _ => throw new InvalidOperationException($"unexpected activity {name}"),
    }), Start);

    [Fact]
    public async Task AFailureThenASuccessWaitsOnceAtTheDecidedTimeAndConcludesOnce()
    {
        var context = Context(n => new AttemptOutcome(n == 1 ? 500 : 200));

        var end = await DeliveryOrchestration.DeliverWebhook(context);

        Assert.True(end.Succeeded);
        var expectedWait = DeliveryDecisions.Next(new RetryPolicy(), Ticket.DeliveryId, 1, new AttemptOutcome(500), new DateTimeOffset(Start));
        Assert.Collection(context.Calls,
            c => Assert.Equal(("activity", nameof(DeliveryActivities.AttemptDelivery)), (c.Kind, c.Name)),
            c =>
            {
                Assert.Equal("timer", c.Kind);
                Assert.Equal(((DeliveryDecision.Wait)expectedWait).Until.UtcDateTime, c.At);
            },
            c => Assert.Equal(("activity", nameof(DeliveryActivities.AttemptDelivery)), (c.Kind, c.Name)),
            c => Assert.Equal(("activity", nameof(DeliveryActivities.ConcludeDelivery)), (c.Kind, c.Name)));
        var conclusion = System.Text.Json.JsonDocument.Parse(context.Calls[^1].Input!).RootElement;
        Assert.True(conclusion.GetProperty("end").GetProperty("succeeded").GetBoolean());
    }

    [Fact]
    public async Task AnExhaustedDeliveryConcludesWithTheExhaustedOutcomeAfterEveryScheduledAttempt()
    {
        var context = Context(_ => new AttemptOutcome(503));

        var end = await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Equal(new DeliveryEnd(false, FailureReason.Exhausted), end);
        var policy = new RetryPolicy();
        Assert.Equal(policy.MaxAttempts, context.Calls.Count(c => c.Name == nameof(DeliveryActivities.AttemptDelivery)));
        Assert.Equal(policy.MaxAttempts - 1, context.Calls.Count(c => c.Kind == "timer"));
        var conclusion = System.Text.Json.JsonDocument.Parse(context.Calls[^1].Input!).RootElement.GetProperty("end");
        Assert.False(conclusion.GetProperty("succeeded").GetBoolean());
        Assert.Equal((int)FailureReason.Exhausted, conclusion.GetProperty("failure").GetInt32());
    }

    [Fact]
    public async Task GoneConcludesAtOnceWithTheOutcomeThatDisablesTheWebhook()
    {
        var context = Context(_ => new AttemptOutcome(410));

        var end = await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Equal(new DeliveryEnd(false, FailureReason.Gone), end);
        Assert.DoesNotContain(context.Calls, c => c.Kind == "timer");
        Assert.True(((DeliveryDecision.Failed)end.ToDecision()).DisableWebhook);
    }

    [Fact]
    public async Task ReplayingTheSameHistoryMakesTheSameCalls()
    {
        static AttemptOutcome Script(int n) => n switch
        {
            1 => AttemptOutcome.NoResponse("connection reset"),
            2 => new AttemptOutcome(429, TimeSpan.FromMinutes(20)),
            3 => new AttemptOutcome(500),
            _ => new AttemptOutcome(204),
        };
        var first = Context(Script);
        var replay = Context(Script);

        await DeliveryOrchestration.DeliverWebhook(first);
        await DeliveryOrchestration.DeliverWebhook(replay);

        Assert.Equal(first.Calls, replay.Calls);
        Assert.Equal(first.History, replay.History);
        Assert.Equal(3, first.Calls.Count(c => c.Kind == "timer"));
    }

    [Fact]
    public async Task AnAttemptActivityThatFailsCountsAsAFailedAttemptAndTheScheduleGoesOn()
    {
        var calls = 0;
        var context = new RecordingOrchestrationContext(Ticket, (name, _) => name == nameof(DeliveryActivities.AttemptDelivery) && ++calls == 1
            ? throw new InvalidOperationException("storage unreachable")
            : Task.FromResult<object?>(name == nameof(DeliveryActivities.AttemptDelivery) ? new AttemptOutcome(200) : null), Start);

        var end = await DeliveryOrchestration.DeliverWebhook(context);

        Assert.True(end.Succeeded);
        Assert.Single(context.Calls, c => c.Kind == "timer");
    }

    [Fact]
    public async Task TheWaitUsesThePolicyTheRunStartedWithNotTheCurrentConfiguration()
    {
        var ticket = Ticket with { Policy = new RetrySnapshot([TimeSpan.Zero, TimeSpan.FromMinutes(7)], 0, TimeSpan.FromHours(1)) };
        var context = new RecordingOrchestrationContext(ticket, (name, input) => Task.FromResult<object?>(name == nameof(DeliveryActivities.AttemptDelivery)
            ? new AttemptOutcome(RecordingOrchestrationContext.Read<AttemptRequest>(input).Attempt == 1 ? 500 : 200)
            : null), Start);

        await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Equal(Start.AddMinutes(7), Assert.Single(context.Calls, c => c.Kind == "timer").At);
    }
}
