using System.Security.Claims;
using Webhooks.Api;
using Webhooks.Dashboard;

namespace Webhooks.Standalone.Api;

/// <summary>
/// Portal sessions: the operator routes that issue them and rotate their key, and the portal API, the
/// organization routes mounted a second time under <c>/api/portal</c> behind a session token.
/// </summary>
public static class PortalEndpoints
{
    /// <summary>The prefix of the portal twins' endpoint names (and of their functions' names in the Functions app).</summary>
    internal const string PortalNames = "Portal";

    public static RouteGroupBuilder MapPortalSessionRoutes(this RouteGroupBuilder api)
    {
        api.MapPost("/orgs/{orgId}/portal-sessions", (string orgId, HttpRequest request, PortalSessionApi handlers, CancellationToken ct) => handlers.CreateAsync(orgId, request, "/" + DashboardPage.PortalPath, ct))
            .WithTags("Portal sessions").Accepts<CreatePortalSessionRequest>("application/json", ManagementEndpoints.AnyContentType)
            .Produces<PortalSessionResponse>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("CreatePortalSession")
            .WithSummary("A short-lived portal session for one organization: hand its url to the signed-in customer (link or iframe); the token is in the fragment.");

        api.MapPost("/portal-keys/rotate", (PortalSessionApi handlers, CancellationToken ct) => handlers.RotateKeyAsync(ct))
            .WithTags("Portal sessions").Produces<PortalKeyRotatedResponse>().ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("RotatePortalKey")
            .WithSummary("Sign portal tokens with a new key from now on; tokens signed by the previous key stay valid until they expire.");
        return api;
    }

    public static RouteGroupBuilder MapPortalApi(this IEndpointRouteBuilder routes)
    {
        var portal = routes.MapGroup("/api/portal").RequirePortalSession()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        portal.MapGet("/session", (ClaimsPrincipal user) => PortalSessionApi.Describe(PortalSession.From(user)!))
            .WithTags("Portal sessions").Produces<PortalSessionInfoResponse>().WithName("GetPortalSession")
            .WithSummary("The organization, permission and expiry of the session whose token is sent.");

        portal.MapGet("/event-types", (WebhookApi handlers) => handlers.EventTypes())
            .Produces<EventTypeListResponse>().WithName(PortalNames + "ListEventTypes");

        portal.MapGet("/event-types/schema", WebhookApi.EventSchema)
            .Produces<object>(contentType: Webhooks.Events.EventSchema.MediaType).WithName(PortalNames + "GetEventSchema");

        portal.MapGroup("/orgs/{orgId}").MapOrganizationRoutes(PortalNames);
        return portal;
    }
}
