using System.Net;
using System.Net.Sockets;

namespace Webhooks.Sending;

/// <summary>
/// Which IP addresses a webhook may never reach: loopback, private, link-local, carrier-grade NAT,
/// unique-local, multicast, reserved ranges and cloud metadata endpoints.
/// </summary>
public static class AddressRules
{
    private static readonly (IPAddress Network, int PrefixLength)[] ForbiddenV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),        // "this network"
        (IPAddress.Parse("10.0.0.0"), 8),       // private
        (IPAddress.Parse("100.64.0.0"), 10),    // carrier-grade NAT (and Alibaba's metadata service)
        (IPAddress.Parse("127.0.0.0"), 8),      // loopback
        (IPAddress.Parse("169.254.0.0"), 16),   // link-local, including 169.254.169.254 metadata
        (IPAddress.Parse("172.16.0.0"), 12),    // private
        (IPAddress.Parse("192.0.0.0"), 24),     // IETF protocol assignments
        (IPAddress.Parse("192.0.2.0"), 24),     // documentation
        (IPAddress.Parse("192.168.0.0"), 16),   // private
        (IPAddress.Parse("198.18.0.0"), 15),    // benchmarking
        (IPAddress.Parse("198.51.100.0"), 24),  // documentation
        (IPAddress.Parse("203.0.113.0"), 24),   // documentation
        (IPAddress.Parse("224.0.0.0"), 4),      // multicast
        (IPAddress.Parse("240.0.0.0"), 4),      // reserved and broadcast
        (IPAddress.Parse("168.63.129.16"), 32), // Azure's host endpoint (wireserver): public, yet internal
    ];

    private static readonly (IPAddress Network, int PrefixLength)[] ForbiddenV6 =
    [
        (IPAddress.Parse("::"), 96),            // unspecified, and IPv4-compatible ::a.b.c.d (deprecated, may reach IPv4 hosts)
        (IPAddress.Parse("::1"), 128),          // loopback
        (IPAddress.Parse("::ffff:0:0:0"), 96),  // IPv4-translated (SIIT)
        (IPAddress.Parse("64:ff9b:1::"), 48),   // local-use NAT64
        (IPAddress.Parse("100::"), 64),         // discard
        (IPAddress.Parse("2001::"), 32),        // Teredo: tunnels to an IPv4 address it hides
        (IPAddress.Parse("2001:db8::"), 32),    // documentation
        (IPAddress.Parse("fc00::"), 7),         // unique-local, including fd00:ec2::254 metadata
        (IPAddress.Parse("fe80::"), 10),        // link-local
        (IPAddress.Parse("fec0::"), 10),        // site-local (deprecated, still routed inside some networks)
        (IPAddress.Parse("ff00::"), 8),         // multicast
    ];

    /// <summary>Whether connecting to <paramref name="address"/> is refused (before the loopback exception).</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (EmbeddedIPv4(address) is { } embedded && IsForbidden(embedded))
        {
            return true;
        }
        var ranges = address.AddressFamily == AddressFamily.InterNetwork ? ForbiddenV4 : ForbiddenV6;
        return ranges.Any(r => InRange(address, r.Network, r.PrefixLength));
    }

    /// <summary>The IPv4 address a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address carries, which could hide a private one.</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }
        var bytes = address.GetAddressBytes();
        if (InRange(address, Nat64, 96))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }
        return InRange(address, SixToFour, 16) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }

    private static readonly IPAddress Nat64 = IPAddress.Parse("64:ff9b::");
    private static readonly IPAddress SixToFour = IPAddress.Parse("2002::");

    public static bool IsLoopback(IPAddress address) => IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static bool InRange(IPAddress address, IPAddress network, int prefixLength)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }
        Span<byte> a = stackalloc byte[16];
        Span<byte> n = stackalloc byte[16];
        address.TryWriteBytes(a, out var length);
        network.TryWriteBytes(n, out _);
        for (var bit = 0; bit < prefixLength && bit < length * 8; bit += 8)
        {
            var bitsHere = Math.Min(8, prefixLength - bit);
            var mask = (byte)(0xFF << (8 - bitsHere));
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask))
            {
                return false;
            }
        }
        return true;
    }
}
