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
/// The move happens once even when it is retried: the reason row is written first (bounded, so the
/// write cannot fail for its size after the copy was made), the copy is made only while that row names
/// no poison message yet, and the row then records the copy's id. Only a crash between the copy and
/// that last write can leave a second copy.
/// </remarks>
public sealed partial class PoisonMessages(TableProvider tables, DeliveryTelemetry telemetry, TimeProvider clock, ILogger<PoisonMessages> logger)
{
    /// <summary>A reason is read by people; this is far more than any the pipeline writes (Table Storage's limit is 32 K).</summary>
    public const int MaxReasonChars = 4000;
    private const int MaxErrorChars = 500;
    private const int MaxErrorFields = 20;

    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    public async Task MoveAsync(QueueClient poisonQueue, string sourceQueue, QueueMessage message, string reason, IReadOnlyDictionary<string, string[]>? errors, CancellationToken cancellationToken)
    {
        var table = await tables.PoisonAsync(cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(poisonQueue.Name, message.MessageId, cancellationToken: cancellationToken);
        if (found.HasValue && found.Value!.GetString("PoisonMessageId") is { } copied)
        {
            LogAlreadyMoved(message.MessageId, sourceQueue, poisonQueue.Name, copied);
            return;
        }
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
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        var receipt = await poisonQueue.SendMessageAsync(message.Body.ToString(), null, NeverExpires, cancellationToken);
        row["PoisonMessageId"] = receipt.Value.MessageId;
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellationToken);
        telemetry.Poisoned(sourceQueue);
        LogPoisoned(message.MessageId, sourceQueue, poisonQueue.Name, receipt.Value.MessageId, (string)row["Reason"]);
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
}
