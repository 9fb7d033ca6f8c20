using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.DurableTask.Client;

namespace Webhooks.FunctionsHostStandIn;

/// <summary>
/// Feeds one queue-triggered function from its storage queue the way the Storage Queues extension
/// documents its trigger, with the settings of host.json's <c>extensions.queues</c>: a batch of up to
/// <c>batchSize</c> messages runs in parallel and the next batch is fetched once no more than
/// <c>newBatchThreshold</c> are still running; an empty queue is polled with a randomized exponential
/// back-off from 100 ms up to <c>maxPollingInterval</c>; a message is held invisible while its function
/// runs (10 minutes, renewed), deleted when the function succeeds, made visible again after
/// <c>visibilityTimeout</c> when it fails, and after <c>maxDequeueCount</c> failed tries moved to the
/// queue of the same name plus <c>-poison</c>.
/// </summary>
public sealed partial class QueueTriggerListener(
    FunctionDefinition function,
    QueueServiceClient queues,
    string queueName,
    QueueTriggerSettings settings,
    IServiceProvider services,
    ILogger<QueueTriggerListener> logger) : BackgroundService
{
    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HeldFor = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<Task, bool> running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = queues.GetQueueClient(queueName);
        var poison = queues.GetQueueClient(queueName + "-poison");
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        var delay = MinimumPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (running.Count > settings.EffectiveNewBatchThreshold)
                {
                    await Task.WhenAny(running.Keys);
                }
                QueueMessage[] batch = (await queue.ReceiveMessagesAsync(settings.BatchSize, HeldFor, stoppingToken)).Value;
                if (batch.Length == 0)
                {
                    await Task.Delay(delay, stoppingToken);
                    delay = NextDelay(delay);
                    continue;
                }
                delay = MinimumPollingInterval;
                foreach (var message in batch)
                {
                    var task = ProcessAsync(queue, poison, message, stoppingToken);
                    running[task] = true;
                    _ = task.ContinueWith(t => running.TryRemove(t, out _), TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // A storage outage: the trigger keeps polling, backing off as on an empty queue.
                LogPollFailed(e, queueName);
                await Task.Delay(delay, CancellationToken.None);
                delay = NextDelay(delay);
            }
        }
        // Shutdown drains what is running; unfinished messages reappear after their invisibility.
        await Task.WhenAll(running.Keys);
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            // A message seen more often than allowed (its earlier runs crashed mid-way) is poison before it runs again.
            if (message.DequeueCount > settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message, message.PopReceipt);
                return;
            }
            using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var renewal = KeepInvisibleAsync(queue, message, held.Token);
            Exception? failure = null;
            try
            {
                await RunAsync(message, stoppingToken);
            }
            catch (Exception e)
            {
                failure = e;
            }
            await held.CancelAsync();
            var receipt = await renewal;
            if (failure is null)
            {
                await queue.DeleteMessageAsync(message.MessageId, receipt, CancellationToken.None);
                return;
            }
            LogFunctionFailed(failure, function.Name, message.MessageId, message.DequeueCount);
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message, receipt);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The message's invisibility runs out and it is received again: at least once.
            LogCompletionFailed(e, message.MessageId);
        }
    }

    private async Task RunAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        await using var scope = services.CreateAsyncScope();
        var bound = settings.MessageEncoding.Equals("base64", StringComparison.OrdinalIgnoreCase)
            ? QueuesModelFactory.QueueMessage(message.MessageId, message.PopReceipt, BinaryData.FromBytes(Convert.FromBase64String(message.Body.ToString())),
                message.DequeueCount, message.NextVisibleOn, message.InsertedOn, message.ExpiresOn)
            : message;
        await FunctionInvoker.InvokeAsync(function, scope.ServiceProvider, parameter =>
            parameter == function.TriggerParameter ? Bind(parameter.ParameterType, bound)
            : parameter.ParameterType == typeof(CancellationToken) ? stoppingToken
            : parameter.ParameterType == typeof(DurableTaskClient) ? scope.ServiceProvider.GetRequiredService<DurableTaskClient>()
            : throw FunctionInvoker.Unbound(function, parameter));
    }

    private object Bind(Type type, QueueMessage message) =>
        type == typeof(QueueMessage) ? message
        : type == typeof(string) ? message.Body.ToString()
        : type == typeof(BinaryData) ? message.Body
        : throw new InvalidOperationException($"The stand-in binds a queue trigger to QueueMessage, string or BinaryData, not {type.Name} ({function.Name}).");

    /// <summary>Renews the message's invisibility at half its span until the function ends; returns the latest pop receipt.</summary>
    private static async Task<string> KeepInvisibleAsync(QueueClient queue, QueueMessage message, CancellationToken held)
    {
        var receipt = message.PopReceipt;
        try
        {
            while (true)
            {
                await Task.Delay(HeldFor / 2, held);
                receipt = (await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: HeldFor, cancellationToken: held)).Value.PopReceipt;
            }
        }
        catch (OperationCanceledException) when (held.IsCancellationRequested)
        {
            return receipt;
        }
    }

    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, string receipt)
    {
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync(message.Body);
        await queue.DeleteMessageAsync(message.MessageId, receipt);
        LogPoisoned(message.MessageId, poison.Name, message.DequeueCount);
    }

    private TimeSpan NextDelay(TimeSpan current)
    {
        var doubled = TimeSpan.FromTicks(Math.Min(current.Ticks * 2, settings.MaxPollingInterval.Ticks));
        // Randomized, as the extension's back-off is, so several instances do not poll in step.
        return TimeSpan.FromTicks(Math.Max(MinimumPollingInterval.Ticks, (long)(doubled.Ticks * (0.8 + (0.2 * Random.Shared.NextDouble())))));
    }

    [LoggerMessage(9101, LogLevel.Warning, "Polling queue {Queue} failed; the trigger backs off and polls again")]
    private partial void LogPollFailed(Exception e, string queue);

    [LoggerMessage(9102, LogLevel.Warning, "Function {Function} failed on message {MessageId} (dequeue count {DequeueCount})")]
    private partial void LogFunctionFailed(Exception e, string function, string messageId, long dequeueCount);

    [LoggerMessage(9103, LogLevel.Warning, "Message {MessageId} moved to {PoisonQueue} after {DequeueCount} tries")]
    private partial void LogPoisoned(string messageId, string poisonQueue, long dequeueCount);

    [LoggerMessage(9104, LogLevel.Warning, "Completing message {MessageId} failed; it reappears when its invisibility ends")]
    private partial void LogCompletionFailed(Exception e, string messageId);
}
