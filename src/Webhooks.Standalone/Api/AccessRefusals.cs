using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Webhooks.Api;

namespace Webhooks.Standalone.Api;

/// <summary>
/// Answers an authorization refusal as the API's problems, as the Functions app's portal gate does:
/// another organization's resource as unknown (404), a change with a read-only session 403. A missing
/// or invalid credential is left to its scheme's challenge (401).
/// </summary>
internal sealed class AccessRefusals : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || !policy.AuthenticationSchemes.Contains(AccessPolicies.PortalScheme))
        {
            return fallback.HandleAsync(next, context, policy, authorizeResult);
        }
        var otherOrganization = authorizeResult.AuthorizationFailure?.FailureReasons.Any(r => r.Handler is OrganizationScopeHandler) == true;
        var answer = otherOrganization
            ? PortalAccess.NotFound(context.GetRouteValue("orgId") as string ?? "", context.GetRouteValue("webhookId") as string)
            : PortalAccess.Forbidden();
        return answer.ExecuteAsync(context);
    }
}
