using Webhooks.Delivery;
using Webhooks.Model;

namespace Webhooks.DurableDriver;

/// <summary>
/// A delivery run as one loop, for hosts that keep the loop alive durably (the Functions app's
/// orchestrator). Each attempt is one step that sends, decides, records and concludes
/// (<see cref="AttemptRunner.AttemptAsync"/>); the loop follows what it returns: a durable timer
/// and the next attempt, or the end. Only when the attempt step itself fails (after the host's
/// retries) does the loop decide, with the pure decision and a failed attempt, and when that ends
/// the run it concludes with a step of its own, retried on timers until it is recorded, so no run
/// ends leaving its delivery pending. It reads time only from
/// <see cref="IWorkflowRuntime.Now"/> and does nothing but call its runtime, so it is
/// deterministic under replay.
/// </summary>
public static class DeliveryWorkflow
{
    /// <summary>The wait before a failed conclusion is tried again the first time; each further failure doubles it.</summary>
    public static readonly TimeSpan FirstConclusionRetry = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two tries of a conclusion.</summary>
    public static readonly TimeSpan LongestConclusionRetry = TimeSpan.FromHours(1);

    /// <summary>Runs the ticket's run to its end; null when a newer run (or the delivery's deletion) took over.</summary>
    public static async Task<DeliveryEnd?> RunAsync(DeliveryTicket ticket, IWorkflowRuntime runtime)
    {
        var policy = ticket.Policy.ToPolicy();
        var attempt = 1;
        while (true)
        {
            AttemptResult result;
            try
            {
                result = await runtime.AttemptAsync(new AttemptActivityInput(ticket, attempt));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The attempt could not run to its end (storage down after the step's own retries): it counts as a
                // failed attempt, so the schedule goes on instead of leaving the delivery pending for ever.
                var decision = DeliveryDecider.Next(policy, ticket.DeliveryId, attempt, AttemptOutcome.NoResponse("The attempt could not be run; it is retried on schedule."), runtime.Now);
                if (decision is not DeliveryDecision.Wait wait)
                {
                    return await ConcludeAsync(ticket, DeliveryEnd.From(decision), attempt, runtime);
                }
                result = AttemptResult.Waiting(null, wait.Until, wait.NextAttempt);
            }
            switch (result)
            {
                case { FollowUp: AttemptFollowUp.Wait, WaitUntil: { } until, NextAttempt: { } next } when next > attempt:
                    runtime.Report(new DeliveryRunStatus(next - 1, result.StatusCode, until));
                    await WaitUntilAsync(runtime, until);
                    attempt = next;
                    break;
                case { FollowUp: AttemptFollowUp.Held, WaitUntil: { } turn, NextAttempt: { } same } when same == attempt:
                    // The endpoint's protection held the attempt back: nothing was spent; ask again at its turn.
                    await WaitUntilAsync(runtime, turn);
                    break;
                case { FollowUp: AttemptFollowUp.Ended, End: { } end }:
                    return end;
                case { FollowUp: AttemptFollowUp.Superseded }:
                    return null;
                default:
                    throw new InvalidOperationException($"Attempt {attempt} of delivery {ticket.DeliveryId} returned a result the workflow cannot follow: {result}.");
            }
        }
    }

    /// <summary>The conclusion step, tried until it is recorded: on durable timers from one minute, doubling, to an hour.</summary>
    private static async Task<DeliveryEnd?> ConcludeAsync(DeliveryTicket ticket, DeliveryEnd end, int lastAttempt, IWorkflowRuntime runtime)
    {
        for (var delay = FirstConclusionRetry; ; delay = delay * 2 < LongestConclusionRetry ? delay * 2 : LongestConclusionRetry)
        {
            try
            {
                return await runtime.ConcludeAsync(new ConclusionActivityInput(ticket, end));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Ending here would leave the delivery pending with no runner: nothing would ever conclude it.
                var until = runtime.Now + delay;
                runtime.Report(new DeliveryRunStatus(lastAttempt, null, until, Concluding: end));
                await WaitUntilAsync(runtime, until);
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="until"/> and never less: a timer may fire early (the Azure Storage
    /// provider's timers are queue messages whose visibility is whole seconds, truncated), and a retry
    /// must not come before its schedule or an endpoint's Retry-After.
    /// </summary>
    private static async Task WaitUntilAsync(IWorkflowRuntime runtime, DateTimeOffset until)
    {
        do
        {
            await runtime.WaitUntilAsync(until);
        }
        while (runtime.Now < until);
    }
}

/// <summary>What a host gives <see cref="DeliveryWorkflow"/>: durable calls of the attempt and conclusion, a durable timer, a replay-safe clock.</summary>
public interface IWorkflowRuntime
{
    DateTimeOffset Now { get; }

    /// <summary>One attempt, recorded with what follows it (<see cref="AttemptRunner.AttemptAsync"/>).</summary>
    Task<AttemptResult> AttemptAsync(AttemptActivityInput input);

    Task WaitUntilAsync(DateTimeOffset until);

    /// <summary>Records and applies an end the workflow decided itself (<see cref="DeliveryConclusions.ConcludeRunAsync"/>).</summary>
    Task<DeliveryEnd?> ConcludeAsync(ConclusionActivityInput input);

    /// <summary>Where the run stands, for monitoring (no secret, no payload).</summary>
    void Report(DeliveryRunStatus status);
}

/// <summary>
/// A run's progress: the last attempt, its status code, and when the next step is due: the next
/// attempt, or, with <paramref name="Concluding"/>, the next try of a conclusion that failed.
/// </summary>
public sealed record DeliveryRunStatus(int LastAttempt, int? LastStatusCode, DateTimeOffset NextStepAt, DeliveryEnd? Concluding = null);
