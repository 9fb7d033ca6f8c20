using System.Collections.Concurrent;

namespace Webhooks.Storage;

/// <summary>
/// Storage resources (tables, queues) created the first time each is asked for, once per process;
/// creation is idempotent, so racing processes are harmless. A failed creation (storage briefly
/// unreachable) is forgotten, so the next call tries again instead of failing for the process's life.
/// </summary>
internal sealed class CreatedOnce<T>(Func<string, Task<T>> create)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> created = new(StringComparer.Ordinal);

    public async Task<T> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = created.GetOrAdd(name, n => new Lazy<Task<T>>(() => create(n)));
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
}
