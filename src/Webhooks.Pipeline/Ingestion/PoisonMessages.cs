using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Webhooks.Delivery;
using Webhooks.Model;
using Webhooks.Storage;

namespace Webhooks.Ingestion;

/// <summary>
/// Moves a message that cannot be processed to its poison queue unchanged (as the Functions runtime
/// does, so the same tools replay either host's), with the reason recorded in the poison table under
/// the original message's id. Nothing is lost and the pipeline goes on.
/// </summary>
/// <remarks>
/// Two processors can hold the same message (its visibility lapsed, the host retried): the reason row
/// is the claim. It is added, never replaced, so only one processor's add succeeds; that one copies
/// the message and records the copy's id on the row, conditional on the row being as it claimed it.
/// A processor that finds the claim waits a little for the copy's id and, once it appears, leaves the
/// move done. A claim that stays without a copy id past <see cref="ClaimWait"/> is one whose mover
/// crashed or stalled between claim and record: it is taken over (conditionally, so by one processor),
/// because skipping it would lose the message. The price is at most one extra poison copy for each such
/// crash or stall, never a lost message; the row names one copy.
/// </remarks>
public sealed partial class PoisonMessages(TableProvider tables, DeliveryTelemetry telemetry, TimeProvider clock, ILogger<PoisonMessages> logger)
{
    /// <summary>A reason is read by people; this is far more than any the pipeline writes (Table Storage's limit is 32 K).</summary>
    public const int MaxReasonChars = 4000;

    /// <summary>How much of a reason a log line quotes: enough to read, never a whole oversized value.</summary>
    public const int MaxLoggedReasonChars = 1000;

    private const int MaxErrorChars = 500;
    private const int MaxErrorFields = 20;

    /// <summary>How long a claim may go without a copy id before it counts as abandoned; a move takes milliseconds.</summary>
    internal static readonly TimeSpan ClaimWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ClaimPoll = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    public async Task MoveAsync(QueueClient poisonQueue, string sourceQueue, QueueMessage message, string reason, IReadOnlyDictionary<string, string[]>? errors, CancellationToken cancellationToken)
    {
        var table = await tables.PoisonAsync(cancellationToken);
        var row = new TableEntity(poisonQueue.Name, message.MessageId)
        {
            ["Reason"] = TextCut.Bounded(reason, MaxReasonChars),
            ["Errors"] = errors is null ? null : JsonSerializer.Serialize(Bounded(errors)),
            ["SourceQueue"] = sourceQueue,
            ["OriginalMessageId"] = message.MessageId,
            ["DequeueCount"] = (int)message.DequeueCount,
            ["InsertedOn"] = message.InsertedOn,
            ["PoisonedAt"] = clock.GetUtcNow(),
        };
        if (await ClaimAsync(table, row, cancellationToken) is not { } claim)
        {
            return;
        }
        var receipt = await poisonQueue.SendMessageAsync(message.Body.ToString(), null, NeverExpires, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { ["PoisonMessageId"] = receipt.Value.MessageId }, claim, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // This mover stalled past ClaimWait and another took the claim over: the row names its copy.
            LogExtraCopy(message.MessageId, sourceQueue, poisonQueue.Name, receipt.Value.MessageId);
            return;
        }
        telemetry.Poisoned(sourceQueue);
        LogPoisoned(message.MessageId, sourceQueue, poisonQueue.Name, receipt.Value.MessageId, TextCut.Bounded(reason, MaxLoggedReasonChars));
    }

    /// <summary>
    /// The claim's ETag when this processor is to copy the message; null when another has copied it.
    /// </summary>
    private async Task<ETag?> ClaimAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            return (await table.AddEntityAsync(row, cancellationToken)).Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Another processor claimed the move first.
        }
        var waited = TimeSpan.Zero;
        while (true)
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
            if (!found.HasValue)
            {
                // Deleted (replayed by an operator) since: claim afresh.
                return await ClaimAsync(table, row, cancellationToken);
            }
            var existing = found.Value!;
            if (existing.GetString("PoisonMessageId") is { } copied)
            {
                LogAlreadyMoved(row.RowKey, (string)row["SourceQueue"], row.PartitionKey, copied);
                return null;
            }
            // An old claim (its message came back after a crash) is taken over at once; a young one is waited for.
            if (waited >= ClaimWait || clock.GetUtcNow() - existing.GetDateTimeOffset("PoisonedAt") >= ClaimWait)
            {
                try
                {
                    return (await table.UpdateEntityAsync(row, existing.ETag, TableUpdateMode.Replace, cancellationToken)).Headers.ETag;
                }
                catch (RequestFailedException e) when (e.Status == 412)
                {
                    // Another processor took it over first: wait for its copy in turn.
                    waited = TimeSpan.Zero;
                    continue;
                }
            }
            await Task.Delay(ClaimPoll, cancellationToken);
            waited += ClaimPoll;
        }
    }

    /// <summary>Field names come from input too (a path into <c>data</c>): each entry is cut, and there are few.</summary>
    private static Dictionary<string, string[]> Bounded(IReadOnlyDictionary<string, string[]> errors)
    {
        var bounded = new Dictionary<string, string[]>();
        foreach (var (field, messages) in errors.Take(MaxErrorFields))
        {
            bounded.TryAdd(TextCut.Bounded(field, MaxErrorChars), [.. messages.Take(MaxErrorFields).Select(m => TextCut.Bounded(m, MaxErrorChars))]);
        }
        return bounded;
    }

    [LoggerMessage(5001, LogLevel.Warning, "Message {MessageId} of {Queue} moved to {PoisonQueue} as {PoisonMessageId}: {Reason}")]
    private partial void LogPoisoned(string messageId, string queue, string poisonQueue, string poisonMessageId, string reason);

    [LoggerMessage(5002, LogLevel.Information, "Message {MessageId} of {Queue} was already moved to {PoisonQueue} as {PoisonMessageId}")]
    private partial void LogAlreadyMoved(string messageId, string queue, string poisonQueue, string poisonMessageId);

    [LoggerMessage(5003, LogLevel.Warning, "Message {MessageId} of {Queue} has an extra copy {PoisonMessageId} in {PoisonQueue}: its move stalled and another processor finished it")]
    private partial void LogExtraCopy(string messageId, string queue, string poisonQueue, string poisonMessageId);
}
