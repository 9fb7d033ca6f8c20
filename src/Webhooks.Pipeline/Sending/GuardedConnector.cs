using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Webhooks.Sending;

/// <summary>
/// The SSRF guard, at connect time: the host name is resolved here, every resolved address is
/// checked, and the socket connects to a checked address, so DNS rebinding between a check and
/// the connection is impossible.
/// </summary>
public sealed class GuardedConnector(IOptions<EndpointOptions> options)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var refused = addresses.Where(a => !IsAllowed(a)).ToArray();
        // One forbidden answer refuses the host: a name that mixes public and private answers is an attack shape.
        if (addresses.Length == 0 || refused.Length > 0)
        {
            throw new EndpointRefusedException(host, refused.FirstOrDefault());
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private bool IsAllowed(IPAddress address) =>
        !AddressRules.IsForbidden(address) || (options.Value.AllowLoopback && AddressRules.IsLoopback(address));
}

/// <summary>A delivery was not sent because its host resolves to an address webhooks may not reach.</summary>
public sealed class EndpointRefusedException(string host, IPAddress? address)
    : Exception(address is null ? $"{host} did not resolve to any address." : $"{host} resolves to {address}, which webhooks may not reach.");
