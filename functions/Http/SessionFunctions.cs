using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Webhooks.Api;

namespace Webhooks.Functions.Http;

/// <summary>Operator routes (function key) that issue portal sessions and rotate their signing key; each is one call into the library's <see cref="PortalSessionApi"/>.</summary>
public sealed class SessionFunctions(PortalSessionApi api)
{
    [Function(nameof(CreatePortalSession))]
    public Task<IResult> CreatePortalSession([HttpTrigger(AuthorizationLevel.Function, "post", Route = "orgs/{orgId}/portal-sessions")] HttpRequest request, string orgId, CancellationToken cancellationToken) =>
        api.CreateAsync(orgId, request, DashboardFunction.PortalPath, cancellationToken);

    [Function(nameof(RotatePortalKey))]
    public Task<IResult> RotatePortalKey([HttpTrigger(AuthorizationLevel.Function, "post", Route = "portal-keys/rotate")] HttpRequest request, CancellationToken cancellationToken) =>
        api.RotateKeyAsync(cancellationToken);
}
