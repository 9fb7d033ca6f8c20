// Fixture.Low and Fixture.High break the layering on purpose, so LayeringTests can show its check fails on them.
namespace Webhooks.Tests.Architecture.Fixture.Low;

internal static class UsesHigh
{
    // A method body's reference counts, not only a signature's.
    public static int Read() => High.UsesLow.Value;
}
