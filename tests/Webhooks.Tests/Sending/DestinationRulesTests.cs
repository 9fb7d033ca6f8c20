using System.Net;
using Webhooks.Sending;

namespace Webhooks.Tests.Sending;

/// <summary>The one rule the URL check and the connect-time guard share: how a host is read, and which destinations are refused.</summary>
public sealed class DestinationRulesTests
{
    [Theory]
    [InlineData("LOCALHOST", "localhost", DestinationKind.Loopback)]
    [InlineData("\uff2c\uff2f\uff23\uff21\uff2c\uff28\uff2f\uff33\uff34\u3002", "localhost", DestinationKind.Loopback)]
    [InlineData("api.localhost.", "api.localhost", DestinationKind.Loopback)]
    [InlineData("[::1]", "::1", DestinationKind.Loopback)]
    [InlineData("::ffff:127.0.0.1", "::ffff:127.0.0.1", DestinationKind.Loopback)]
    [InlineData("0x7f.1", "127.0.0.1", DestinationKind.Loopback)]
    [InlineData("2130706433.", "127.0.0.1", DestinationKind.Loopback)]
    [InlineData("0251.0376.0251.0376", "169.254.169.254", DestinationKind.Reserved)]
    [InlineData("metadata", "metadata", DestinationKind.InternalName)]
    [InlineData("Metadata.Google.Internal.", "metadata.google.internal", DestinationKind.InternalName)]
    [InlineData("B\u00fccher.Example.", "xn--bcher-kva.example", DestinationKind.Public)]
    [InlineData("8.8.8.8", "8.8.8.8", DestinationKind.Public)]
    [InlineData("exa_mple.com", "exa_mple.com", DestinationKind.Invalid)]
    [InlineData("example..com", "example..com", DestinationKind.Invalid)]
    public void AHostIsReadAsTheResolverReadsIt(string host, string name, DestinationKind kind)
    {
        var destination = DestinationRules.Read(host);

        Assert.Equal(name, destination.Name);
        Assert.Equal(kind, destination.Kind);
        Assert.Equal(IPAddress.TryParse(name, out var address) ? address : null, destination.Address);
    }

    [Theory]
    [InlineData(DestinationKind.Public, false, false)]
    [InlineData(DestinationKind.Public, true, false)]
    [InlineData(DestinationKind.Loopback, false, true)]
    [InlineData(DestinationKind.Loopback, true, false)]
    [InlineData(DestinationKind.Reserved, true, true)]
    [InlineData(DestinationKind.InternalName, true, true)]
    [InlineData(DestinationKind.Invalid, true, true)]
    public void OnlyLoopbackIsEverAllowedAndOnlyWhenConfigured(DestinationKind kind, bool allowLoopback, bool refused)
    {
        Assert.Equal(refused, DestinationRules.Refuses(kind, allowLoopback));
    }

    [Theory]
    [InlineData("127.0.0.1", DestinationKind.Loopback)]
    [InlineData("::ffff:127.0.0.1", DestinationKind.Loopback)]
    [InlineData("64:ff9b::7f00:1", DestinationKind.Reserved)]
    [InlineData("10.0.0.1", DestinationKind.Reserved)]
    [InlineData("2606:4700:4700::1111", DestinationKind.Public)]
    public void AResolvedAddressIsClassifiedByTheAddressRules(string address, DestinationKind kind)
    {
        Assert.Equal(kind, DestinationRules.Classify(IPAddress.Parse(address)));
    }
}
