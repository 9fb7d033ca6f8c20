using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Webhooks.Diagnostics;

/// <summary>
/// Counts every request this process sends to Table and Queue Storage, by kind, as an Azure SDK
/// pipeline policy at the per-retry position (so a retried request counts twice, as storage sees
/// it). Switched on by <c>Webhooks:Diagnostics:CountStorageOperations</c>; benchmarks read the
/// counts to report exact storage operations per delivery.
/// </summary>
public sealed class StorageOperationCounter
{
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Snapshot() => counts.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

    public void Reset() => counts.Clear();

    /// <summary>A policy counting one client's requests; <paramref name="scope"/> prefixes their kinds (the Durable task hub's are <c>hub.</c>).</summary>
    public HttpPipelinePolicy PolicyFor(StorageService service, string? scope = null) => new CountingPolicy(this, service, scope is null ? "" : scope + ".");

    private void Count(string kind) => counts.AddOrUpdate(kind, 1, (_, n) => n + 1);

    /// <summary>The kind of a request, from its method and path: what a storage bill and a throttle count.</summary>
    public static string Classify(StorageService service, RequestMethod method, Uri uri)
    {
        var path = uri.AbsolutePath.TrimEnd('/');
        if (service == StorageService.Blob)
        {
            // The Durable task hub's partition leases and large messages.
            return uri.Query.Contains("comp=lease", StringComparison.OrdinalIgnoreCase) ? "blob.lease" : method.Method switch
            {
                "GET" or "HEAD" => "blob.read",
                "PUT" => "blob.write",
                _ => "blob.other",
            };
        }
        if (service == StorageService.Queue)
        {
            var messages = path.Contains("/messages", StringComparison.Ordinal);
            var oneMessage = messages && !path.EndsWith("/messages", StringComparison.Ordinal);
            return (method.Method, messages, oneMessage) switch
            {
                ("POST", true, false) => "queue.send",
                ("GET", true, false) => uri.Query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase) ? "queue.peek" : "queue.receive",
                ("DELETE", true, true) => "queue.delete",
                ("PUT", true, true) => "queue.update",
                _ => "queue.other",
            };
        }
        if (path.EndsWith("/$batch", StringComparison.Ordinal))
        {
            return "table.batch";
        }
        if (path.EndsWith("/Tables", StringComparison.Ordinal) || path.Contains("/Tables(", StringComparison.Ordinal))
        {
            return "table.other";
        }
        return method.Method switch
        {
            // A point read names its keys in the path; a query is the table with a filter.
            "GET" => path.Contains("PartitionKey=", StringComparison.Ordinal) ? "table.read" : "table.query",
            _ => "table.write",
        };
    }

    private sealed class CountingPolicy(StorageOperationCounter counter, StorageService service, string prefix) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) =>
            counter.Count(prefix + Classify(service, message.Request.Method, message.Request.Uri.ToUri()));
    }
}

/// <summary>Which storage service a client talks to.</summary>
public enum StorageService
{
    Table,
    Queue,
    Blob,
}

/// <summary>Settings section <c>Webhooks:Diagnostics</c>.</summary>
public sealed class DiagnosticsOptions
{
    public const string Section = "Webhooks:Diagnostics";

    /// <summary>Count storage requests by kind and let the standalone host report them (benchmarks); off by default.</summary>
    public bool CountStorageOperations { get; set; }
}
