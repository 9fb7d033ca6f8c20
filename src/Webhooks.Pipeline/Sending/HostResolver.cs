using System.Net;

namespace Webhooks.Sending;

/// <summary>
/// Resolves a webhook's host name for <see cref="GuardedConnector"/>: DNS in production; replaceable so
/// the guard's check of resolved addresses can be tested with a public-looking name that answers a
/// forbidden address, which no real resolver gives on demand.
/// </summary>
public class HostResolver
{
    public virtual Task<IPAddress[]> ResolveAsync(string name, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(name, cancellationToken);
}
