using Webhooks.Delivery;
using Webhooks.DurableDriver;

namespace Webhooks.Tests.DurableDriver;

/// <summary>The workflow's waits end no sooner than their time, whatever the host's timers do.</summary>
public sealed class DeliveryWorkflowWaitTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ATimerThatFiresEarlyIsFollowedByAnotherBeforeTheRetry()
    {
        var due = Start.AddSeconds(5);
        var steps = new EarlySteps(due);
        var ticket = new DeliveryTicket("org-1", "wh_0000000000000000000000000a", "dlv_0000000000000000000000000b", 1, RetrySnapshot.Of(new RetryPolicy()));

        await DeliveryWorkflow.RunAsync(ticket, steps);

        Assert.Equal([due, due], steps.Waits);
        Assert.Equal(2, steps.Attempts.Count);
        Assert.True(steps.Attempts[1] >= due, $"the retry ran at {steps.Attempts[1]:O}, before {due:O}");
    }

    /// <summary>Steps whose first timer fires 400 ms early; the first attempt asks to wait until <paramref name="due"/>.</summary>
    private sealed class EarlySteps(DateTimeOffset due) : IWorkflowRuntime
    {
        public DateTimeOffset Now { get; private set; } = Start;

        public List<DateTimeOffset> Waits { get; } = [];

        public List<DateTimeOffset> Attempts { get; } = [];

        public Task<AttemptResult> AttemptAsync(AttemptActivityInput request)
        {
            Attempts.Add(Now);
            return Task.FromResult(request.Attempt == 1 ? AttemptResult.Waiting(503, due, 2) : AttemptResult.Ended(200, new DeliveryEnd(true, null)));
        }

        public Task WaitUntilAsync(DateTimeOffset until)
        {
            Now = Waits.Count == 0 ? until - TimeSpan.FromMilliseconds(400) : until;
            Waits.Add(until);
            return Task.CompletedTask;
        }

        public Task<DeliveryEnd?> ConcludeAsync(ConclusionActivityInput request) => throw new InvalidOperationException("Nothing to conclude: the attempts record their own end.");

        public void Report(DeliveryRunStatus status)
        {
        }
    }
}
