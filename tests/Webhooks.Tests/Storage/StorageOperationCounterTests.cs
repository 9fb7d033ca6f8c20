using Azure.Core;
using Webhooks.Diagnostics;

namespace Webhooks.Tests.Storage;

/// <summary>Storage requests are told apart by kind, as the benchmark reports them.</summary>
public sealed class StorageOperationCounterTests
{
    private const string Queue = "http://127.0.0.1:10001/devstoreaccount1/webhook-events";
    private const string Table = "http://127.0.0.1:10002/devstoreaccount1";

    [Theory]
    [InlineData("POST", Queue + "/messages?visibilitytimeout=0", "queue.send")]
    [InlineData("GET", Queue + "/messages?numofmessages=32&visibilitytimeout=60", "queue.receive")]
    [InlineData("GET", Queue + "/messages?peekonly=true", "queue.peek")]
    [InlineData("DELETE", Queue + "/messages/5f1c?popreceipt=abc", "queue.delete")]
    [InlineData("PUT", Queue + "/messages/5f1c?popreceipt=abc&visibilitytimeout=5", "queue.update")]
    [InlineData("PUT", Queue, "queue.other")]
    public void QueueRequestsAreCountedByKind(string method, string uri, string kind) =>
        Assert.Equal(kind, StorageOperationCounter.Classify(StorageService.Queue, RequestMethod.Parse(method), new Uri(uri)));

    [Theory]
    [InlineData("GET", Table + "/webhooks(PartitionKey='acme',RowKey='wh_1')", "table.read")]
    [InlineData("GET", Table + "/webhooks()?$filter=PartitionKey%20eq%20'acme'", "table.query")]
    [InlineData("POST", Table + "/$batch", "table.batch")]
    [InlineData("PATCH", Table + "/webhooks(PartitionKey='acme',RowKey='wh_1')", "table.write")]
    [InlineData("PUT", Table + "/webhooks(PartitionKey='acme',RowKey='wh_1')", "table.write")]
    [InlineData("POST", Table + "/events", "table.write")]
    [InlineData("POST", Table + "/Tables", "table.other")]
    public void TableRequestsAreCountedByKind(string method, string uri, string kind) =>
        Assert.Equal(kind, StorageOperationCounter.Classify(StorageService.Table, RequestMethod.Parse(method), new Uri(uri)));
}
