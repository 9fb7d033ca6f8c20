using System.Globalization;
using System.Net;

namespace Webhooks.Sending;

/// <summary>
/// Where a webhook may point, as one rule for the check when a URL is saved and for the guard at
/// connect time: the host read the way the resolver will read it, the names refused whatever they
/// resolve to, and the addresses refused (<see cref="AddressRules"/>).
/// </summary>
public static class DestinationRules
{
    // Names that are loopback by definition (RFC 6761), and the one most systems alias to it.
    private static readonly string[] LoopbackNames = ["localhost", "localhost.localdomain"];
    private const string LoopbackSuffix = ".localhost";

    // Suffixes only ever meaningful inside a network: ICANN's private-use TLD (where cloud metadata
    // names such as metadata.google.internal live), mDNS, the traditional local domain, RFC 8375.
    private static readonly string[] InternalSuffixes = [".internal", ".local", ".localdomain", ".home.arpa"];

    // Metadata service names outside those suffixes; single-label ones (metadata, instance-data) are refused as such.
    private static readonly string[] MetadataNames = ["metadata.goog"];

    /// <summary>
    /// Reads <paramref name="host"/> (a URL's host, with or without IPv6 brackets) as the resolver will:
    /// IDNA-mapped with STD3 rules, lower-case, without its trailing dot, and as an address when it
    /// spells one in any form the resolver takes (dotted, decimal, hex or octal IPv4, IPv6).
    /// </summary>
    public static Destination Read(string host)
    {
        if (host.Length > 2 && host[0] == '[' && host[^1] == ']')
        {
            host = host[1..^1];
        }
        if (host.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(host, out var v6) ? OfAddress(v6) : new Destination(host, null, DestinationKind.Invalid);
        }
        if (Canonical(host) is not { } name)
        {
            return new Destination(host, null, DestinationKind.Invalid);
        }
        if (IPAddress.TryParse(name, out var address))
        {
            return OfAddress(address);
        }
        return new Destination(name, null, KindOfName(name));
    }

    /// <summary>What <paramref name="address"/> is to a webhook: public, loopback, or otherwise reserved.</summary>
    public static DestinationKind Classify(IPAddress address) =>
        AddressRules.IsLoopback(address) ? DestinationKind.Loopback
        : AddressRules.IsForbidden(address) ? DestinationKind.Reserved
        : DestinationKind.Public;

    /// <summary>Whether a destination of <paramref name="kind"/> is refused; loopback only when it is not allowed (development).</summary>
    public static bool Refuses(DestinationKind kind, bool allowLoopback) =>
        kind != DestinationKind.Public && !(kind == DestinationKind.Loopback && allowLoopback);

    private static Destination OfAddress(IPAddress address) => new(address.ToString(), address, Classify(address));

    private static string? Canonical(string host)
    {
        string mapped;
        try
        {
            // The mapping the resolver's IDNA step applies: full-width and other compatibility forms fold to ASCII.
            mapped = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(host);
        }
        catch (ArgumentException)
        {
            return null;
        }
        // One trailing dot names the same host (a fully qualified name); it must not slip past the name rules.
        if (mapped.EndsWith('.'))
        {
            mapped = mapped[..^1];
        }
        return mapped.Length == 0 || mapped.EndsWith('.') ? null : mapped.ToLowerInvariant();
    }

    private static DestinationKind KindOfName(string name)
    {
        if (LoopbackNames.Contains(name) || name.EndsWith(LoopbackSuffix, StringComparison.Ordinal))
        {
            return DestinationKind.Loopback;
        }
        // A single label is looked up in the host's own search domains: it names something inside the network.
        var internalName = !name.Contains('.', StringComparison.Ordinal)
            || MetadataNames.Contains(name)
            || InternalSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal));
        return internalName ? DestinationKind.InternalName : DestinationKind.Public;
    }
}

/// <summary>A host as <see cref="DestinationRules.Read"/> reads it: its canonical name, the address it spells (if any), and what it is.</summary>
public readonly record struct Destination(string Name, IPAddress? Address, DestinationKind Kind);

/// <summary>What a destination is to a webhook, from its name or address alone (resolved names are checked again at connect time).</summary>
public enum DestinationKind
{
    /// <summary>Nothing in the name or address refuses it.</summary>
    Public,
    /// <summary>Loopback: refused unless <see cref="EndpointOptions.AllowLoopback"/>.</summary>
    Loopback,
    /// <summary>A private, link-local, metadata or otherwise reserved address.</summary>
    Reserved,
    /// <summary>A single-label name, a name under an internal-only suffix, or a metadata service name.</summary>
    InternalName,
    /// <summary>Not a valid host name.</summary>
    Invalid,
}
