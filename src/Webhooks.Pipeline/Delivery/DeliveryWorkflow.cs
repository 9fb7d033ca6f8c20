namespace Webhooks.Delivery;

/// <summary>
/// A delivery run as one loop, for hosts that keep the loop alive durably (the Functions app's
/// orchestrator): attempt, decide with the pure decision, wait, and at the end conclude. It reads
/// time only from <see cref="IDeliveryWorkflowSteps.Now"/> and does nothing but call its steps, so
/// it is deterministic under replay.
/// </summary>
public static class DeliveryWorkflow
{
    public static async Task<DeliveryEnd> RunAsync(DeliveryTicket ticket, IDeliveryWorkflowSteps steps)
    {
        var policy = ticket.Policy.ToPolicy();
        for (var attempt = 1; ; attempt++)
        {
            AttemptOutcome outcome;
            try
            {
                outcome = await steps.AttemptAsync(new AttemptRequest(ticket, attempt));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The attempt could not run at all (storage down after the step's own retries): it counts as a
                // failed attempt, so the schedule goes on instead of leaving the delivery pending for ever.
                outcome = AttemptOutcome.NoResponse("The attempt could not be run; it is retried on schedule.");
            }
            var decision = DeliveryDecisions.Next(policy, ticket.DeliveryId, attempt, outcome, steps.Now);
            if (decision is DeliveryDecision.Wait wait)
            {
                steps.Report(new DeliveryRunStatus(attempt, outcome.StatusCode, wait.Until));
                await steps.WaitUntilAsync(wait.Until);
                continue;
            }
            var end = DeliveryEnd.From(decision);
            await steps.ConcludeAsync(new ConclusionRequest(ticket, end));
            return end;
        }
    }
}

/// <summary>What a host gives <see cref="DeliveryWorkflow"/>: durable calls of the attempt and conclusion, a durable timer, a replay-safe clock.</summary>
public interface IDeliveryWorkflowSteps
{
    DateTimeOffset Now { get; }

    Task<AttemptOutcome> AttemptAsync(AttemptRequest request);

    Task WaitUntilAsync(DateTimeOffset until);

    Task ConcludeAsync(ConclusionRequest request);

    /// <summary>Where the run stands, for monitoring (no secret, no payload).</summary>
    void Report(DeliveryRunStatus status);
}

/// <summary>A run's progress: the last attempt, its status code, and when the next one is due.</summary>
public sealed record DeliveryRunStatus(int LastAttempt, int? LastStatusCode, DateTimeOffset NextAttemptAt);
