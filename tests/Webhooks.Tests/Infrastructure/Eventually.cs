namespace Webhooks.Tests.Infrastructure;

/// <summary>Waits for something the pipeline does asynchronously, failing with a description when it does not happen in time.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> until it returns a value; on timeout the failure names <paramref name="what"/> and adds <paramref name="details"/>.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null, Func<string>? details = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}. {details?.Invoke()}");
            }
            await Task.Delay(50);
        }
    }

    public static Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? details = null) =>
        ReturnsAsync<object>(async () => await condition() ? new object() : null, what, timeout, details);

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? details = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, timeout, details);
}
