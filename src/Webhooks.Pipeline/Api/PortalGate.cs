using Microsoft.AspNetCore.Http;

namespace Webhooks.Api;

/// <summary>
/// Portal routes for a host without ASP.NET Core authentication (the Functions app, whose portal
/// functions are anonymous): verifies the bearer token, applies <see cref="PortalAccess"/>, then runs the
/// same handler as the operator route.
/// </summary>
public sealed class PortalGate(PortalTokens tokens)
{
    /// <summary>Runs <paramref name="handler"/> for a session of <paramref name="organizationId"/> (null: a route of no organization) allowed this request.</summary>
    public async Task<IResult> RunAsync(HttpRequest request, string? organizationId, string? webhookId, Func<Task<IResult>> handler)
    {
        var session = await tokens.VerifyAsync(BearerCredential.From(request), request.HttpContext.RequestAborted);
        if (session is null)
        {
            return PortalAccess.Unauthorized();
        }
        return PortalAccess.Refusal(session, request.Method, organizationId, webhookId) ?? await handler();
    }

    /// <summary>Runs <paramref name="handler"/> with the session of a valid token (a route of no organization that reads the session itself).</summary>
    public async Task<IResult> RunAsync(HttpRequest request, Func<PortalSession, IResult> handler)
    {
        var session = await tokens.VerifyAsync(BearerCredential.From(request), request.HttpContext.RequestAborted);
        return session is null ? PortalAccess.Unauthorized() : PortalAccess.Refusal(session, request.Method, null, null) ?? handler(session);
    }
}
