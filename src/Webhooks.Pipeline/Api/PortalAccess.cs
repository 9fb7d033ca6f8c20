using Microsoft.AspNetCore.Http;

namespace Webhooks.Api;

/// <summary>
/// What a portal session may reach, and how a refusal is answered: the one rule both hosts apply
/// (the standalone host through its authorization policies, the Functions app through <see cref="PortalGate"/>).
/// </summary>
public static class PortalAccess
{
    /// <summary>A session sees its own organization only; a route without one (the event catalogue) is open to every session.</summary>
    public static bool SeesOrganization(PortalSession session, string? routeOrganizationId) =>
        routeOrganizationId is null || string.Equals(routeOrganizationId, session.OrganizationId, StringComparison.Ordinal);

    /// <summary>Reading needs a session; any change (POST, PATCH, DELETE, …) needs the manage permission.</summary>
    public static bool MayUse(PortalSession session, string method) => !IsChange(method) || session.MayChange;

    /// <summary>Whether a request with <paramref name="method"/> changes something (anything but GET and HEAD), and so needs the manage permission.</summary>
    public static bool IsChange(string method) => !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);

    /// <summary>Why a session may not make this request, or null when it may: another organization first (as unknown), then the permission.</summary>
    public static IResult? Refusal(PortalSession session, string method, string? routeOrganizationId, string? webhookId) =>
        !SeesOrganization(session, routeOrganizationId) ? NotFound(routeOrganizationId!, webhookId)
        : !MayUse(session, method) ? Forbidden()
        : null;

    /// <summary>Another organization's resource is answered as one that does not exist, exactly as the API answers an unknown one, so a session learns nothing about it.</summary>
    public static IResult NotFound(string organizationId, string? webhookId) =>
        ApiResults.NotFound(webhookId is null ? $"Organization {organizationId}" : $"Webhook {webhookId}");

    public static IResult Forbidden() =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "This portal session may only read: ask for a session with the manage permission to make changes.");

    /// <summary>401 with <c>WWW-Authenticate: Bearer</c>: no token, or one that is malformed, forged, expired or signed by a retired key.</summary>
    public static IResult Unauthorized() => new BearerChallenge(
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "Send a valid, unexpired portal session token as Authorization: Bearer TOKEN."));

    private sealed class BearerChallenge(IResult problem) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return problem.ExecuteAsync(httpContext);
        }
    }
}
