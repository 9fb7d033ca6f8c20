using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Diagnostics;

/// <summary>
/// <c>GET /api/diagnostics</c>: storage operations by kind since the last reset, and the process's
/// memory. Only when <c>Webhooks:Diagnostics:CountStorageOperations</c> is on; benchmarks read it from
/// the standalone host (behind its API key) and from the Functions host stand-in.
/// </summary>
public static class DiagnosticsEndpoints
{
    public static RouteGroupBuilder MapDiagnosticsRoutes(this RouteGroupBuilder api)
    {
        if (((IEndpointRouteBuilder)api).ServiceProvider.GetService<StorageOperationCounter>() is null)
        {
            return api;
        }
        var diagnostics = api.MapGroup("/diagnostics").WithTags("Diagnostics").ExcludeFromDescription();
        // ?collect=true measures the managed heap after a full collection, so two readings compare what is live.
        diagnostics.MapGet("/", (StorageOperationCounter counter, bool? collect) => Results.Json(Report(counter, collect == true)));
        diagnostics.MapPost("/reset", (StorageOperationCounter counter) =>
        {
            counter.Reset();
            return Results.NoContent();
        });
        return api;
    }

    private static DiagnosticsReport Report(StorageOperationCounter counter, bool collect)
    {
        var heap = GC.GetTotalMemory(forceFullCollection: collect);
        using var process = Process.GetCurrentProcess();
        // Committed: what the GC holds from the OS, live or not; it tells a growing working set from a growing heap.
        // Threads and methods compiled so far tell apart what else grows outside the GC: stacks, and code the JIT keeps producing as it tiers up.
        return new DiagnosticsReport(counter.Snapshot(), process.WorkingSet64, process.PeakWorkingSet64, heap, GC.GetGCMemoryInfo().TotalCommittedBytes,
            process.Threads.Count, System.Runtime.JitInfo.GetCompiledMethodCount());
    }
}

/// <summary>Storage operations by kind, memory in bytes, the process's threads and the methods the JIT has compiled.</summary>
public sealed record DiagnosticsReport(IReadOnlyDictionary<string, long> StorageOperations, long WorkingSet, long PeakWorkingSet, long ManagedHeap, long GcCommitted, int Threads, long JitCompiledMethods);
