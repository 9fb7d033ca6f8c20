using Microsoft.AspNetCore.Authorization;
using Webhooks.Api;

namespace Webhooks.Standalone.Api;

/// <summary>A change through the portal needs a session with the manage permission.</summary>
public sealed class ManagePermissionRequirement : IAuthorizationRequirement;

/// <summary>Applies <see cref="PortalSession.MayChange"/>; a refusal is answered 403.</summary>
internal sealed class ManagePermissionHandler : AuthorizationHandler<ManagePermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ManagePermissionRequirement requirement)
    {
        if (PortalSession.From(context.User) is { MayChange: true })
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
