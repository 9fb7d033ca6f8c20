using System.Collections.Concurrent;
using Azure;

namespace Webhooks.Storage;

/// <summary>
/// Storage resources (tables, queues) created the first time each is asked for, once per process;
/// creation is idempotent, so racing processes are harmless. Creating is a convenience for local
/// runs: in Azure the infrastructure creates them, and a caller without the right to create (a
/// producer that may only send messages) uses them as they are. A failed creation (storage briefly
/// unreachable) is forgotten, so the next call tries again.
/// </summary>
internal sealed class CreatedOnce<T>(Func<string, T> client, Func<T, Task> create)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> created = new(StringComparer.Ordinal);

    public async Task<T> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = created.GetOrAdd(name, n => new Lazy<Task<T>>(() => CreateAsync(n)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted)
        {
            created.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(name, lazy));
            throw;
        }
    }

    private async Task<T> CreateAsync(string name)
    {
        var resource = client(name);
        try
        {
            await create(resource);
        }
        catch (RequestFailedException e) when (e.Status == 403)
        {
            // Not allowed to create: it is the infrastructure's to create, and is taken to exist.
        }
        return resource;
    }
}
