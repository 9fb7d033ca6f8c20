using Azure.Data.Tables;

namespace Webhooks.Storage;

/// <summary>
/// Reads one page of a filtered query. Table Storage may end a filtered (or cross-partition) scan
/// early with few or no rows and a continuation; the page is filled from further server pages (up
/// to a bound), so an empty page means the end.
/// </summary>
internal static class FilledPages
{
    private const int MaxServerPages = 20;

    public static async Task<Page<T>> ReadAsync<T>(TableClient table, string filter, int pageSize, string? continuation, Func<TableEntity, T> map, CancellationToken cancellationToken)
    {
        var items = new List<T>(pageSize);
        for (var read = 0; read < MaxServerPages; read++)
        {
            // Ask only for what the page still lacks, so the continuation is exactly where it stops.
            var wanted = pageSize - items.Count;
            Azure.Page<TableEntity>? page = null;
            await foreach (var first in table.QueryAsync<TableEntity>(filter, wanted, cancellationToken: cancellationToken).AsPages(continuation, wanted))
            {
                page = first;
                break;
            }
            items.AddRange(page?.Values.Select(map) ?? []);
            continuation = page?.ContinuationToken;
            if (continuation is null || items.Count >= pageSize)
            {
                break;
            }
        }
        return new Page<T>(items, continuation);
    }
}
