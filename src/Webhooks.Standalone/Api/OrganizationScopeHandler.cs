using Microsoft.AspNetCore.Authorization;
using Webhooks.Api;

namespace Webhooks.Standalone.Api;

/// <summary>A portal session reaches only the organization it was issued for (the route's <c>orgId</c>).</summary>
public sealed class OrganizationScopeRequirement : IAuthorizationRequirement;

/// <summary>Applies <see cref="PortalAccess.SeesOrganization"/>; a refusal is answered 404 by <see cref="AccessRefusals"/>.</summary>
internal sealed class OrganizationScopeHandler : AuthorizationHandler<OrganizationScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OrganizationScopeRequirement requirement)
    {
        var routeOrganization = context.Resource is HttpContext http ? http.GetRouteValue("orgId") as string : null;
        if (PortalSession.From(context.User) is { } session && PortalAccess.SeesOrganization(session, routeOrganization))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, "The session belongs to another organization."));
        }
        return Task.CompletedTask;
    }
}
