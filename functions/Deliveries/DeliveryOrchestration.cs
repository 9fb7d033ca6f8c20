using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Webhooks.Delivery;
using Webhooks.DurableDriver;
using ActivityRetryPolicy = Microsoft.DurableTask.RetryPolicy;

namespace Webhooks.Functions.Deliveries;

/// <summary>
/// One orchestration per delivery run: the library's <see cref="DeliveryWorkflow"/> on Durable's
/// activities, timers and replay-safe clock: one activity per attempt, a timer between attempts.
/// Its input and outputs hold ids, the retry policy, status codes and times only: never a secret
/// or the payload. It returns how the run ended, or null when a newer run took over.
/// </summary>
public static class DeliveryOrchestration
{
    [Function(nameof(DeliverWebhook))]
    public static Task<DeliveryEnd?> DeliverWebhook([OrchestrationTrigger] TaskOrchestrationContext context) =>
        DeliveryWorkflow.RunAsync(context.GetInput<DeliveryTicket>() ?? throw new InvalidOperationException("The orchestration has no ticket."), new DurableRuntime(context));

    /// <summary>The workflow's runtime on Durable: activities retried on infrastructure errors, durable timers, the orchestration's clock.</summary>
    internal sealed class DurableRuntime(TaskOrchestrationContext context) : IWorkflowRuntime
    {
        // Storage hiccups inside an activity are retried here; an endpoint's failure is an outcome, not an exception.
        private static readonly TaskOptions Retried = new(new TaskRetryOptions(new ActivityRetryPolicy(5, TimeSpan.FromSeconds(5), backoffCoefficient: 2)));

        internal static readonly TimeSpan TimerMargin = TimeSpan.FromSeconds(1);

        public DateTimeOffset Now => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));

        public Task<AttemptResult> AttemptAsync(AttemptActivityInput input) =>
            context.CallActivityAsync<AttemptResult>(nameof(DeliveryActivities.AttemptDelivery), input, Retried);

        // The Azure Storage provider sends a timer as a queue message visible after whole seconds, truncated, so
        // it can fire up to a second early; a second more makes it fire on time or just after, with no second timer.
        public Task WaitUntilAsync(DateTimeOffset until) => context.CreateTimer(until.UtcDateTime + TimerMargin, CancellationToken.None);

        public Task<DeliveryEnd?> ConcludeAsync(ConclusionActivityInput input) =>
            context.CallActivityAsync<DeliveryEnd?>(nameof(DeliveryActivities.ConcludeDelivery), input, Retried);

        public void Report(DeliveryRunStatus status) => context.SetCustomStatus(status);
    }
}
