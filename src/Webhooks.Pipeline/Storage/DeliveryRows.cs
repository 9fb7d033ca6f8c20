using Azure.Data.Tables;

namespace Webhooks.Storage;

/// <summary>Maps delivery records to rows of the history partition (row key <c>d|{deliveryId}</c>).</summary>
internal static class DeliveryRows
{
    public const string DeliveryPrefix = "d|";

    public static TableEntity ToRow(DeliveryRecord delivery) =>
        new(DeliveryHistoryStore.PartitionOf(delivery.OrganizationId, delivery.WebhookId), DeliveryPrefix + delivery.DeliveryId)
        {
            ["EventId"] = delivery.EventId,
            ["EventType"] = delivery.EventType,
            ["Status"] = delivery.Status.ToString(),
            ["AttemptCount"] = delivery.AttemptCount,
            ["LastStatusCode"] = delivery.LastStatusCode,
            ["CreatedAt"] = delivery.CreatedAt,
            ["FinishedAt"] = delivery.FinishedAt,
        };
}
