// Fixture.Low and Fixture.High break the layering on purpose, so LayeringTests can show its check fails on them.
namespace Webhooks.Tests.Architecture.Fixture.High;

internal static class UsesLow
{
    public static int Value => typeof(Low.UsesHigh).Name.Length;
}
