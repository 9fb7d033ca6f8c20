using System.Text.Json.Nodes;
using Azure.Storage.Queues;

namespace Webhooks.Tests.Infrastructure;

/// <summary>The tests' one way to publish an event: onto a host's events queue as a producer does (base64 JSON).</summary>
public static class EventProducer
{
    /// <summary>Puts <paramref name="envelope"/> on <paramref name="queueName"/>; returns the event id.</summary>
    public static async Task<string> PublishAsync(AzuriteFixture storage, string queueName, JsonObject envelope)
    {
        var queue = new QueueClient(storage.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(envelope.ToJsonString());
        return envelope["id"]!.GetValue<string>();
    }
}
