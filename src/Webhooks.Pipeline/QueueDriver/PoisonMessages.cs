using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Webhooks.Delivery;
using Webhooks.Storage;

namespace Webhooks.QueueDriver;

/// <summary>
/// Moves a message that cannot be processed to its poison queue unchanged (as the Functions runtime
/// does, so the same tools replay either host's), with the reason recorded beside it in the poison
/// table under the poison message's id. Nothing is lost and the pipeline goes on.
/// </summary>
public sealed partial class PoisonMessages(TableProvider tables, DeliveryTelemetry telemetry, TimeProvider clock, ILogger<PoisonMessages> logger)
{
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    public async Task MoveAsync(QueueClient poisonQueue, string sourceQueue, QueueMessage message, string reason, IReadOnlyDictionary<string, string[]>? errors, CancellationToken cancellationToken)
    {
        var receipt = await poisonQueue.SendMessageAsync(message.Body.ToString(), null, NeverExpires, cancellationToken);
        var table = await tables.PoisonAsync(cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(poisonQueue.Name, receipt.Value.MessageId)
        {
            ["Reason"] = reason,
            ["Errors"] = errors is null ? null : JsonSerializer.Serialize(errors),
            ["SourceQueue"] = sourceQueue,
            ["OriginalMessageId"] = message.MessageId,
            ["DequeueCount"] = (int)message.DequeueCount,
            ["InsertedOn"] = message.InsertedOn,
            ["PoisonedAt"] = clock.GetUtcNow(),
        }, TableUpdateMode.Replace, cancellationToken);
        telemetry.Poisoned(sourceQueue);
        LogPoisoned(message.MessageId, sourceQueue, poisonQueue.Name, receipt.Value.MessageId, reason);
    }

    [LoggerMessage(5001, LogLevel.Warning, "Message {MessageId} of {Queue} moved to {PoisonQueue} as {PoisonMessageId}: {Reason}")]
    private partial void LogPoisoned(string messageId, string queue, string poisonQueue, string poisonMessageId, string reason);
}
