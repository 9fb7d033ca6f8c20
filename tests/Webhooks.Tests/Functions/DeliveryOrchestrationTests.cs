using Webhooks.Delivery;
using Webhooks.DurableDriver;
using Webhooks.Functions.Deliveries;
using Webhooks.Model;

namespace Webhooks.Tests.Functions;

/// <summary>
/// The Functions orchestrator on a recording context: it follows what each attempt activity returns
/// (a timer and the attempt it names, or the end), decides itself only when an attempt activity
/// fails, retries a failed conclusion on timers, and replay repeats its calls. The scripted attempt
/// activity decides as the library's does: the pure decision, the run's policy, the context's time.
/// </summary>
public sealed class DeliveryOrchestrationTests
{
    private static readonly DateTime Start = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DeliveryTicket Ticket = new("org-1", "wh_0000000000000000000000000a", "dlv_0000000000000000000000000b", 1, RetrySnapshot.Of(new RetryPolicy()));

    private static string Attempt => nameof(DeliveryActivities.AttemptDelivery);

    private static string Conclude => nameof(DeliveryActivities.ConcludeDelivery);

    /// <summary>A context whose attempt activity observes <paramref name="outcome"/> for each attempt number and decides on it; a conclusion activity answers with the end it is given.</summary>
    private static RecordingOrchestrationContext Context(Func<int, AttemptOutcome> outcome, DeliveryTicket? ticket = null)
    {
        ticket ??= Ticket;
        RecordingOrchestrationContext? context = null;
        context = new RecordingOrchestrationContext(ticket, (name, input) =>
        {
            if (name == Attempt)
            {
                var request = RecordingOrchestrationContext.Read<AttemptActivityInput>(input);
                var observed = outcome(request.Attempt);
                var decision = DeliveryDecider.Next(ticket.Policy.ToPolicy(), ticket.DeliveryId, request.Attempt, observed, new DateTimeOffset(context!.CurrentUtcDateTime));
                return Task.FromResult<object?>(AttemptResult.Of(observed.StatusCode, decision));
            }
            if (name == Conclude)
            {
                return Task.FromResult<object?>(RecordingOrchestrationContext.Read<ConclusionActivityInput>(input).End);
            }
            throw new InvalidOperationException($"unexpected activity {name}");
        }, Start);
        return context;
    }

    // Durable timers are set a second past the time they wait for (see DurableRuntime).
    private static readonly TimeSpan Margin = DeliveryOrchestration.DurableRuntime.TimerMargin;

    [Fact]
    public async Task ARetryOnAProviderWhoseTimersFireUpToASecondEarlyComesNoSoonerThanItsTime()
    {
        var due = new DateTimeOffset(Start).AddSeconds(10.6);
        var context = new RecordingOrchestrationContext(Ticket, (name, input) => Task.FromResult<object?>(RecordingOrchestrationContext.Read<AttemptActivityInput>(input).Attempt == 1
            ? AttemptResult.Waiting(503, due, 2)
            : AttemptResult.Ended(200, new DeliveryEnd(true, null))), Start) { TruncatesTimersToWholeSeconds = true };

        await DeliveryOrchestration.DeliverWebhook(context);

        var retry = Assert.Single(context.Calls, c => c.Kind == "activity" && c.Input!.Contains("\"attempt\":2", StringComparison.Ordinal));
        Assert.True(retry.At >= due.UtcDateTime, $"the retry ran at {retry.At:O}, before {due:O}");
        Assert.Single(context.Calls, c => c.Kind == "timer");
    }

    [Fact]
    public async Task AFirstTrySuccessIsOneActivityWithNoTimerAndNoConclusionActivity()
    {
        var context = Context(_ => new AttemptOutcome(200));

        var end = await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Equal(new DeliveryEnd(true, null), end);
        var only = Assert.Single(context.Calls);
        Assert.Equal(("activity", Attempt), (only.Kind, only.Name));
        Assert.Equal(1, RecordingOrchestrationContext.Read<AttemptActivityInput>(System.Text.Json.JsonDocument.Parse(only.Input!).RootElement).Attempt);
    }

    [Fact]
    public async Task AFailureThenASuccessWaitsOnceUntilTheTimeTheAttemptReturnedAndEndsOnTheSecondAttempt()
    {
        var context = Context(n => new AttemptOutcome(n == 1 ? 500 : 200));

        var end = await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Equal(new DeliveryEnd(true, null), end);
        var expectedWait = (DeliveryDecision.Wait)DeliveryDecider.Next(new RetryPolicy(), Ticket.DeliveryId, 1, new AttemptOutcome(500), new DateTimeOffset(Start));
        Assert.Collection(context.Calls,
            c => Assert.Equal(("activity", Attempt), (c.Kind, c.Name)),
            c =>
            {
                Assert.Equal("timer", c.Kind);
                Assert.Equal(expectedWait.Until.UtcDateTime + Margin, c.At);
            },
            c =>
            {
                Assert.Equal(("activity", Attempt), (c.Kind, c.Name));
                Assert.Contains("\"attempt\":2", c.Input, StringComparison.Ordinal);
            });
    }

    [Fact]
    public async Task AnExhaustedDeliveryEndsExhaustedAfterEveryScheduledAttemptWithoutAConclusionActivity()
    {
        var context = Context(_ => new AttemptOutcome(503));

        var end = await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Equal(new DeliveryEnd(false, FailureReason.Exhausted), end);
        var policy = new RetryPolicy();
        Assert.Equal(policy.MaxAttempts, context.Calls.Count(c => c.Name == Attempt));
        Assert.Equal(policy.MaxAttempts - 1, context.Calls.Count(c => c.Kind == "timer"));
        Assert.DoesNotContain(context.Calls, c => c.Name == Conclude);
    }

    [Fact]
    public async Task GoneEndsAtOnceWithTheOutcomeThatDisablesTheWebhook()
    {
        var context = Context(_ => new AttemptOutcome(410));

        var end = await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Equal(new DeliveryEnd(false, FailureReason.Gone), end);
        Assert.DoesNotContain(context.Calls, c => c.Kind == "timer");
        Assert.Single(context.Calls);
        Assert.True(((DeliveryDecision.Failed)end!.ToDecision()).DisableWebhook);
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
        var context = new RecordingOrchestrationContext(Ticket, (name, _) => name == Attempt && ++calls == 1
            ? throw new InvalidOperationException("storage unreachable")
            : Task.FromResult<object?>(name == Attempt ? AttemptResult.Ended(200, new DeliveryEnd(true, null)) : null), Start);

        var end = await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Equal(new DeliveryEnd(true, null), end);
        var expectedWait = (DeliveryDecision.Wait)DeliveryDecider.Next(new RetryPolicy(), Ticket.DeliveryId, 1, AttemptOutcome.NoResponse("x"), new DateTimeOffset(Start));
        Assert.Equal(expectedWait.Until.UtcDateTime + Margin, Assert.Single(context.Calls, c => c.Kind == "timer").At);
        Assert.Equal(2, context.Calls.Count(c => c.Name == Attempt));
        Assert.DoesNotContain(context.Calls, c => c.Name == Conclude);
    }

    [Fact]
    public async Task AnAttemptActivityThatFailsOnTheLastAttemptIsConcludedExhaustedByTheConclusionActivity()
    {
        var ticket = Ticket with { Policy = new RetrySnapshot([TimeSpan.Zero], 0, TimeSpan.FromHours(1)) };
        var context = new RecordingOrchestrationContext(ticket, (name, input) => name == Attempt
            ? throw new InvalidOperationException("storage unreachable")
            : Task.FromResult<object?>(RecordingOrchestrationContext.Read<ConclusionActivityInput>(input).End), Start);

        var end = await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Equal(new DeliveryEnd(false, FailureReason.Exhausted), end);
        var conclusion = Assert.Single(context.Calls, c => c.Name == Conclude);
        Assert.Equal(new DeliveryEnd(false, FailureReason.Exhausted), RecordingOrchestrationContext.Read<ConclusionActivityInput>(System.Text.Json.JsonDocument.Parse(conclusion.Input!).RootElement).End);
    }

    [Fact]
    public async Task AConclusionThatFailsTwiceIsRetriedOnDoublingTimersAndThenConcludesOnce()
    {
        var ticket = Ticket with { Policy = new RetrySnapshot([TimeSpan.Zero], 0, TimeSpan.FromHours(1)) };
        var conclusions = 0;
        var context = new RecordingOrchestrationContext(ticket, (name, input) => name == Attempt
            ? throw new InvalidOperationException("storage unreachable")
            : ++conclusions <= 2
                ? throw new InvalidOperationException("storage still unreachable")
                : Task.FromResult<object?>(RecordingOrchestrationContext.Read<ConclusionActivityInput>(input).End), Start);

        var end = await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Equal(new DeliveryEnd(false, FailureReason.Exhausted), end);
        Assert.Collection(context.Calls,
            c => Assert.Equal(Attempt, c.Name),
            c => Assert.Equal(Conclude, c.Name),
            c => Assert.Equal(("timer", Start.AddMinutes(1) + Margin), (c.Kind, c.At)),
            c => Assert.Equal(Conclude, c.Name),
            c => Assert.Equal(("timer", Start.AddMinutes(1 + 2) + Margin + Margin), (c.Kind, c.At)),
            c => Assert.Equal(Conclude, c.Name));
        Assert.Equal(3, conclusions);
    }

    [Fact]
    public async Task ConclusionRetriesDoubleFromAMinuteUpToAnHour()
    {
        var ticket = Ticket with { Policy = new RetrySnapshot([TimeSpan.Zero], 0, TimeSpan.FromHours(1)) };
        var conclusions = 0;
        var context = new RecordingOrchestrationContext(ticket, (name, input) => name == Attempt || ++conclusions <= 9
            ? throw new InvalidOperationException("storage unreachable")
            : Task.FromResult<object?>(RecordingOrchestrationContext.Read<ConclusionActivityInput>(input).End), Start);

        await DeliveryOrchestration.DeliverWebhook(context);

        var timers = context.Calls.Where(c => c.Kind == "timer").Select(c => c.At).Prepend(Start).ToArray();
        Assert.Equal(
            new[] { 1, 2, 4, 8, 16, 32, 60, 60, 60 }.Select(m => TimeSpan.FromMinutes(m) + Margin),
            timers.Zip(timers.Skip(1), (from, to) => to - from));
    }

    [Fact]
    public async Task ARunThatResumesWhereItsRowStandsWaitsForAndMakesTheAttemptTheActivityNames()
    {
        var later = new DateTimeOffset(Start).AddMinutes(30);
        var context = new RecordingOrchestrationContext(Ticket, (name, input) => Task.FromResult<object?>(RecordingOrchestrationContext.Read<AttemptActivityInput>(input).Attempt == 1
            ? AttemptResult.Waiting(503, later, 4)
            : AttemptResult.Ended(200, new DeliveryEnd(true, null))), Start);

        await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Collection(context.Calls,
            c => Assert.Contains("\"attempt\":1", c.Input, StringComparison.Ordinal),
            c => Assert.Equal(("timer", later.UtcDateTime + Margin), (c.Kind, c.At)),
            c => Assert.Contains("\"attempt\":4", c.Input, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASupersededRunEndsWithNothingToConclude()
    {
        var context = new RecordingOrchestrationContext(Ticket, (_, _) => Task.FromResult<object?>(AttemptResult.Superseded), Start);

        var end = await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Null(end);
        Assert.Single(context.Calls);
    }

    [Fact]
    public async Task TheWaitUsesThePolicyTheRunStartedWithNotTheCurrentConfiguration()
    {
        var ticket = Ticket with { Policy = new RetrySnapshot([TimeSpan.Zero, TimeSpan.FromMinutes(7)], 0, TimeSpan.FromHours(1)) };
        var context = Context(n => new AttemptOutcome(n == 1 ? 500 : 200), ticket);

        await DeliveryOrchestration.DeliverWebhook(context);

        Assert.Equal(Start.AddMinutes(7) + Margin, Assert.Single(context.Calls, c => c.Kind == "timer").At);
    }

    [Fact]
    public async Task AConclusionWaitingToBeRetriedIsReportedWithTheEndItConcludes()
    {
        var ticket = Ticket with { Policy = new RetrySnapshot([TimeSpan.Zero], 0, TimeSpan.FromHours(1)) };
        var conclusions = 0;
        var context = new RecordingOrchestrationContext(ticket, (name, input) => name == Attempt || ++conclusions == 1
            ? throw new InvalidOperationException("storage unreachable")
            : Task.FromResult<object?>(RecordingOrchestrationContext.Read<ConclusionActivityInput>(input).End), Start);

        await DeliveryOrchestration.DeliverWebhook(context);

        var status = System.Text.Json.JsonDocument.Parse(Assert.Single(context.History, h => h.Contains("nextStepAt", StringComparison.Ordinal))).RootElement;
        Assert.Equal(Start.AddMinutes(1), status.GetProperty("nextStepAt").GetDateTimeOffset().UtcDateTime);
        Assert.Equal((int)FailureReason.Exhausted, status.GetProperty("concluding").GetProperty("failure").GetInt32());
    }
}
