using System.Net;
using Webhooks.Sending;

namespace Webhooks.Tests.Sending;

public sealed class AddressRulesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b::10.0.0.1")]
    [InlineData("2002:c0a8:0101::1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("168.63.129.16")]
    public void PrivateLoopbackLinkLocalReservedAndMetadataIPv4AddressesAreForbidden(string address)
    {
        Assert.True(AddressRules.IsForbidden(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("ff02::1")]
    [InlineData("::8.8.8.8")]
    [InlineData("::ffff:0:a00:1")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("fec0::1")]
    public void LoopbackUnspecifiedLinkLocalUniqueLocalMulticastAndTunnellingIPv6AddressesAreForbidden(string address)
    {
        Assert.True(AddressRules.IsForbidden(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    public void ForbiddenIPv4AddressesStayForbiddenWhenMappedToIPv6(string address)
    {
        Assert.True(AddressRules.IsForbidden(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("1.1.1.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("168.63.129.17")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddressesAreAllowed(string address)
    {
        Assert.False(AddressRules.IsForbidden(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.20.30")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void LoopbackIsRecognisedInEveryFamily(string address)
    {
        Assert.True(AddressRules.IsLoopback(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("8.8.8.8")]
    [InlineData("::")]
    [InlineData("::ffff:8.8.8.8")]
    public void OtherAddressesAreNotLoopback(string address)
    {
        Assert.False(AddressRules.IsLoopback(IPAddress.Parse(address)));
    }
}
