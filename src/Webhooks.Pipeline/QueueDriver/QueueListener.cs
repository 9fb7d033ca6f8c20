using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Webhooks.QueueDriver;

/// <summary>
/// Reads one queue and hands each message to a handler, with at most <c>inFlight</c> messages in
/// hand. A busy queue is read again at once; one that had a message within the last second is read
/// every <c>activePollingInterval</c> (a queue has no long poll, and waiting longer is latency); an
/// idle one with a pause that doubles up to <c>maxPollingInterval</c>. A message is deleted or
/// re-hidden only as its handler says; when the handler fails, the message reappears after its
/// visibility timeout, so nothing is lost.
/// </summary>
internal sealed partial class QueueListener(
    string name,
    Func<CancellationToken, Task<QueueClient>> queue,
    Func<QueueMessage, CancellationToken, Task<MessageOutcome>> handle,
    int inFlight,
    TimeSpan visibility,
    TimeSpan activePollingInterval,
    TimeSpan maxPollingInterval,
    ILogger logger)
{
    private const int MaxBatch = 32;
    private static readonly TimeSpan FirstIdlePause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ActiveWindow = TimeSpan.FromSeconds(1);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var running = new ConcurrentDictionary<Task, bool>();
        using var slots = new SemaphoreSlim(inFlight, inFlight);
        var pause = activePollingInterval;
        var lastMessage = 0L;
        try
        {
            var client = await ConnectAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                var free = 1;
                while (free < MaxBatch && slots.Wait(0, stoppingToken))
                {
                    free++;
                }
                QueueMessage[] messages;
                try
                {
                    messages = (await client.ReceiveMessagesAsync(free, visibility, stoppingToken)).Value;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Storage unreachable, throttled, timed out, or the credential failing: wait and read again.
                    slots.Release(free);
                    LogReceiveFailed(e, name);
                    await Task.Delay(maxPollingInterval, stoppingToken);
                    continue;
                }
                if (free > messages.Length)
                {
                    slots.Release(free - messages.Length);
                }
                if (messages.Length == 0)
                {
                    pause = System.Diagnostics.Stopwatch.GetElapsedTime(lastMessage) <= ActiveWindow
                        ? activePollingInterval
                        : Min(Max(pause * 2, FirstIdlePause), maxPollingInterval);
                    await Task.Delay(pause, stoppingToken);
                    continue;
                }
                lastMessage = System.Diagnostics.Stopwatch.GetTimestamp();
                foreach (var message in messages)
                {
                    // Handlers are not cancelled by stopping: an attempt in flight finishes and is recorded
                    // (the host's shutdown timeout bounds the wait; past it, the message simply reappears).
                    var task = ProcessAsync(client, message, slots, CancellationToken.None);
                    running[task] = true;
                    _ = task.ContinueWith(t => running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Messages in hand finish before the listener ends; none is dropped half-done.
        await Task.WhenAll(running.Keys);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task<QueueClient> ConnectAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await queue(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogReceiveFailed(e, name);
                await Task.Delay(maxPollingInterval, stoppingToken);
            }
        }
    }

    private async Task ProcessAsync(QueueClient client, QueueMessage message, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            // Let the receive loop go on; the handler runs on its own.
            await Task.Yield();
            var outcome = await handle(message, cancellationToken);
            if (outcome.Delete)
            {
                await client.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
            else
            {
                await client.UpdateMessageAsync(message.MessageId, message.PopReceipt, outcome.NewContent, StepSender.WholeSeconds(outcome.HideFor), cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400 && e.ErrorCode is "MessageNotFound" or "PopReceiptMismatch")
        {
            // The message came back and was taken by another reader meanwhile: that reader owns it now.
            LogMessageMoved(message.MessageId, name);
        }
#pragma warning disable CA1031 // One message's failure must not stop the listener; the message is retried.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogHandlerFailed(e, message.MessageId, name, message.DequeueCount);
        }
        finally
        {
            slots.Release();
        }
    }

    [LoggerMessage(6001, LogLevel.Warning, "Receiving from queue {Queue} failed; retrying")]
    private partial void LogReceiveFailed(Exception e, string queue);

    [LoggerMessage(6002, LogLevel.Error, "Handling message {MessageId} of queue {Queue} failed (dequeue count {DequeueCount}); it will be retried")]
    private partial void LogHandlerFailed(Exception e, string messageId, string queue, long dequeueCount);

    [LoggerMessage(6003, LogLevel.Debug, "Message {MessageId} of queue {Queue} was taken over by another reader before it could be settled")]
    private partial void LogMessageMoved(string messageId, string queue);
}
