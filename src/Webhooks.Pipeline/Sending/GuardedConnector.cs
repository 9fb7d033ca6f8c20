using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Webhooks.Sending;

/// <summary>
/// The SSRF guard, at connect time: the host is read as the URL rules read it (names refused
/// whatever they resolve to), a name is resolved here, every resolved address is checked, and the
/// socket connects to a checked address, so DNS rebinding between a check and the connection is impossible.
/// </summary>
public sealed class GuardedConnector(IOptions<EndpointOptions> options, HostResolver resolver)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var allowLoopback = options.Value.AllowLoopback;
        var destination = DestinationRules.Read(context.DnsEndPoint.Host);
        if (DestinationRules.Refuses(destination.Kind, allowLoopback))
        {
            throw new EndpointRefusedException();
        }
        var addresses = destination.Address is { } literal ? [literal] : await resolver.ResolveAsync(destination.Name, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        // One forbidden answer refuses the host: a name that mixes public and private answers is an attack shape.
        if (addresses.Any(a => DestinationRules.Refuses(DestinationRules.Classify(a), allowLoopback)))
        {
            throw new EndpointRefusedException();
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
}

/// <summary>
/// A delivery was not sent because its host is, or resolves to, a destination webhooks may not reach.
/// The message never names the address: attempt records and logs would otherwise map internal names.
/// </summary>
public sealed class EndpointRefusedException() : Exception(Reason)
{
    /// <summary>What the attempt record says of a refused destination.</summary>
    public const string Reason = "Destination not allowed: the webhook's host is, or resolves to, an address webhooks may not reach.";
}
