using Microsoft.Extensions.Options;
using Webhooks.Delivery;
using Webhooks.QueueDriver;

namespace Webhooks.Tests.QueueDriver;

/// <summary>Attempt slots: a per-webhook and a global limit, both waited for briefly, and slots that come back on dispose.</summary>
public sealed class EndpointConcurrencyTests
{
    private static EndpointConcurrency Slots(int global, int perWebhook) =>
        new(Options.Create(new DeliveryOptions { MaxConcurrentAttempts = global, MaxConcurrentAttemptsPerWebhook = perWebhook }));

    [Fact]
    public async Task AWebhookAtItsLimitGetsNoSlotWhileOthersStillDo()
    {
        using var slots = Slots(global: 10, perWebhook: 2);
        using var first = await slots.TryEnterAsync("wh_a", TimeSpan.Zero, CancellationToken.None);
        using var second = await slots.TryEnterAsync("wh_a", TimeSpan.Zero, CancellationToken.None);

        var third = await slots.TryEnterAsync("wh_a", TimeSpan.FromMilliseconds(50), CancellationToken.None);
        using var other = await slots.TryEnterAsync("wh_b", TimeSpan.Zero, CancellationToken.None);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(third);
        Assert.NotNull(other);
    }

    [Fact]
    public async Task AWaiterForABusyWebhookGetsItsSlotWhenOneIsReleased()
    {
        using var slots = Slots(global: 10, perWebhook: 1);
        var held = await slots.TryEnterAsync("wh_a", TimeSpan.Zero, CancellationToken.None);

        // A slot taken at once completes synchronously; a waiter's task is still pending when the call returns, whatever the machine's speed.
        var waiting = slots.TryEnterAsync("wh_a", TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        held!.Dispose();

        using var got = await waiting;
        Assert.NotNull(got);
    }

    [Fact]
    public async Task AtTheGlobalLimitNoWaitMeansNoSlot()
    {
        using var slots = Slots(global: 2, perWebhook: 5);
        using var a = await slots.TryEnterAsync("wh_a", TimeSpan.Zero, CancellationToken.None);
        using var b = await slots.TryEnterAsync("wh_b", TimeSpan.Zero, CancellationToken.None);

        var c = await slots.TryEnterAsync("wh_c", TimeSpan.FromMilliseconds(50), CancellationToken.None);

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Null(c);
    }

    [Fact]
    public async Task AtTheGlobalLimitAWaiterGetsTheSlotReleasedDuringItsWait()
    {
        using var slots = Slots(global: 1, perWebhook: 5);
        var held = await slots.TryEnterAsync("wh_a", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(held);

        var waiting = slots.TryEnterAsync("wh_b", TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        held.Dispose();

        using var got = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(got);
    }

    [Fact]
    public async Task AGlobalWaitThatTimesOutDoesNotUseUpThePerWebhookShare()
    {
        using var slots = Slots(global: 1, perWebhook: 1);
        var held = await slots.TryEnterAsync("wh_a", TimeSpan.Zero, CancellationToken.None);
        Assert.Null(await slots.TryEnterAsync("wh_b", TimeSpan.FromMilliseconds(20), CancellationToken.None));

        held!.Dispose();

        using var b = await slots.TryEnterAsync("wh_b", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(b);
    }

    [Fact]
    public async Task ACancelledGlobalWaitGivesItsPerWebhookShareBack()
    {
        using var slots = Slots(global: 1, perWebhook: 1);
        var held = await slots.TryEnterAsync("wh_a", TimeSpan.Zero, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = slots.TryEnterAsync("wh_b", TimeSpan.FromMinutes(1), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held!.Dispose();
        using var b = await slots.TryEnterAsync("wh_b", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(b);
    }

    [Fact]
    public async Task DisposingASlotReleasesItOnceOnly()
    {
        using var slots = Slots(global: 2, perWebhook: 2);
        var first = await slots.TryEnterAsync("wh_a", TimeSpan.Zero, CancellationToken.None);
        using var second = await slots.TryEnterAsync("wh_a", TimeSpan.Zero, CancellationToken.None);

        first!.Dispose();
        first.Dispose();

        using var third = await slots.TryEnterAsync("wh_a", TimeSpan.Zero, CancellationToken.None);
        var fourth = await slots.TryEnterAsync("wh_a", TimeSpan.Zero, CancellationToken.None);
        var elsewhere = await slots.TryEnterAsync("wh_b", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(third);
        Assert.Null(fourth);
        Assert.Null(elsewhere);
    }
}
