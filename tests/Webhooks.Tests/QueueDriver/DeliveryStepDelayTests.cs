using Webhooks.QueueDriver;

namespace Webhooks.Tests.QueueDriver;

/// <summary>Queue visibility delays: whole seconds rounded up (a message never shows early), clamped to what a queue allows.</summary>
public sealed class DeliveryStepDelayTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1_000, 1)]
    [InlineData(1_001, 2)]
    [InlineData(4_999, 5)]
    [InlineData(5_000, 5)]
    [InlineData(5_001, 6)]
    public void DelaysAreRoundedUpToWholeSeconds(int milliseconds, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), StepSender.WholeSeconds(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void AFractionOfATickAboveASecondStillRoundsUp()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), StepSender.WholeSeconds(TimeSpan.FromSeconds(1) + TimeSpan.FromTicks(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-86_400_000)]
    public void DelaysAreNeverNegative(int milliseconds)
    {
        Assert.Equal(TimeSpan.Zero, StepSender.WholeSeconds(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void DelaysAreClampedAtSevenDays()
    {
        Assert.Equal(TimeSpan.FromDays(7), StepSender.WholeSeconds(TimeSpan.FromDays(7)));
        Assert.Equal(TimeSpan.FromDays(7), StepSender.WholeSeconds(TimeSpan.FromDays(7) + TimeSpan.FromMilliseconds(1)));
        Assert.Equal(TimeSpan.FromDays(7), StepSender.WholeSeconds(TimeSpan.FromDays(30)));
        Assert.Equal(TimeSpan.FromDays(7), StepSender.WholeSeconds(TimeSpan.MaxValue));
    }

    [Fact]
    public void JustUnderSevenDaysRoundsUpToSevenDaysNotBeyond()
    {
        Assert.Equal(TimeSpan.FromDays(7), StepSender.WholeSeconds(TimeSpan.FromDays(7) - TimeSpan.FromMilliseconds(500)));
    }
}
