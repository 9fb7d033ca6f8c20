using Webhooks.Delivery;
using Webhooks.Storage;

namespace Webhooks.Tests.Storage;

/// <summary>A delivery keeps its latest attempt's duration, written with the attempt; rows written before it existed read as having none.</summary>
public sealed class DeliveryDurationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static AttemptRecord Attempt(double milliseconds) => new()
    {
        Number = 1,
        Run = 1,
        RunAttempt = 1,
        AttemptedAt = Now,
        Duration = TimeSpan.FromMilliseconds(milliseconds),
        Url = "https://receiver.example.com/hooks",
        RequestHeaders = [],
        RequestBody = "{}",
        ResponseStatus = 200,
    };

    [Fact]
    public void AnAttemptSetsTheDeliverysLastDurationAndBothOfItsRowsKeepIt()
    {
        var pending = DeliveryRecord.Pending("org-1", "wh_1", "evt_1", "build_completed", [], Now);

        var after = DeliveryProgress.After(pending, Attempt(42.5), new DeliveryDecision.Succeeded(), Now);

        Assert.Equal(TimeSpan.FromMilliseconds(42.5), after.LastDuration);
        Assert.Equal(TimeSpan.FromMilliseconds(42.5), DeliveryRows.FromRow(DeliveryRows.Main(after)).LastDuration);
        Assert.Equal(TimeSpan.FromMilliseconds(42.5), DeliveryRows.FromRow(DeliveryRows.Listing(after)).LastDuration);
    }

    [Fact]
    public void ARowWrittenBeforeDurationsWereRecordedReadsAsHavingNone()
    {
        var row = DeliveryRows.Listing(DeliveryRecord.Pending("org-1", "wh_1", "evt_1", "build_completed", [], Now) with { Status = DeliveryStatus.Succeeded });
        row.Remove("LastDurationMs");

        Assert.Null(DeliveryRows.FromRow(row).LastDuration);
    }
}
