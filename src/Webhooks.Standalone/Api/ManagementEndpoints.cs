using Webhooks.Api;
using Webhooks.Diagnostics;
using Webhooks.Management;

namespace Webhooks.Standalone.Api;

/// <summary>Routes of the management API; every handler is one call into the library's <see cref="WebhookApi"/>.</summary>
public static class ManagementEndpoints
{
    /// <summary>
    /// Declared beside application/json so routing lets every body through to the library, which
    /// answers a wrong content type itself (415 with its detail, after the API key check), exactly
    /// as the Functions app does; routing alone would answer a bare 415 first.
    /// </summary>
    internal const string AnyContentType = "*/*";

    public static RouteGroupBuilder MapManagementApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").RequireAuthorization(AccessPolicies.Operator);

        api.MapGet("/event-types", (WebhookApi handlers) => handlers.EventTypes())
            .Produces<EventTypeListResponse>().WithName("ListEventTypes").WithTags("Events")
            .WithSummary("The event type catalogue, each type with a sample envelope as producers publish it.");

        api.MapGet("/event-types/schema", WebhookApi.EventSchema)
            .Produces<object>(contentType: Webhooks.Events.EventSchema.MediaType).WithName("GetEventSchema").WithTags("Events")
            .WithSummary("The JSON Schema (2020-12) of the event envelope: schemas/webhook-event.schema.json.");

        api.MapGet("/orgs", (HttpRequest request, WebhookApi handlers, CancellationToken ct) => handlers.ListOrganizationsAsync(request, ct))
            .Produces<OrganizationListResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("ListOrganizations").WithTags("Organizations")
            .WithSummary("Organizations that have (or had) webhooks, in id order, with their webhook counts; query: limit, pageToken. Operators only.");

        var organization = api.MapGroup("/orgs/{orgId}");
        organization.MapOrganizationRoutes(OperatorNames);
        organization.MapEventRoutes();
        api.MapPortalSessionRoutes();
        api.MapDiagnosticsRoutes();
        return api;
    }

    /// <summary>Operator endpoints keep their names; the portal's twins carry a prefix (endpoint names are unique).</summary>
    internal const string OperatorNames = "";

    /// <summary>
    /// The routes of one organization, mapped onto <paramref name="organization"/> (a group ending in
    /// <c>/orgs/{orgId}</c>): the operator API mounts them under <c>/api</c>, the portal under <c>/api/portal</c>.
    /// </summary>
    public static RouteGroupBuilder MapOrganizationRoutes(this RouteGroupBuilder organization, string names)
    {
        var webhooks = organization.MapGroup("/webhooks").WithTags("Webhooks")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);

        webhooks.MapPost("/", (string orgId, HttpRequest request, WebhookApi handlers, CancellationToken ct) => handlers.CreateAsync(orgId, request, ct))
            .Accepts<CreateWebhookRequest>("application/json", AnyContentType).Produces<WebhookResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName(names + "CreateWebhook").WithSummary("Create a webhook; a generic webhook's signing secret is in this response only. 409 when the organization has its most webhooks.");

        webhooks.MapGet("/", (string orgId, HttpRequest request, WebhookApi handlers, CancellationToken ct) => handlers.ListAsync(orgId, request, ct))
            .Produces<WebhookListResponse>().WithName(names + "ListWebhooks").WithSummary("List webhooks; query: limit, pageToken.");

        webhooks.MapGet("/{webhookId}", (string orgId, string webhookId, WebhookApi handlers, CancellationToken ct) => handlers.GetAsync(orgId, webhookId, ct))
            .Produces<WebhookResponse>().ProducesProblem(StatusCodes.Status404NotFound).WithName(names + "GetWebhook");

        webhooks.MapPatch("/{webhookId}", (string orgId, string webhookId, HttpRequest request, WebhookApi handlers, CancellationToken ct) => handlers.UpdateAsync(orgId, webhookId, request, ct))
            .Accepts<UpdateWebhookRequest>("application/json", AnyContentType).Produces<WebhookResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithName(names + "UpdateWebhook").WithSummary("Change a webhook; send If-Match with the ETag to refuse lost updates.");

        webhooks.MapDelete("/{webhookId}", (string orgId, string webhookId, HttpRequest request, WebhookApi handlers, CancellationToken ct) => handlers.DeleteAsync(orgId, webhookId, request, ct))
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithName(names + "DeleteWebhook").WithSummary("Delete a webhook with its secrets and delivery history.");

        webhooks.MapPost("/{webhookId}/secret/regenerate", (string orgId, string webhookId, HttpRequest request, WebhookApi handlers, CancellationToken ct) => handlers.RegenerateSecretAsync(orgId, webhookId, request, ct))
            .Produces<RegeneratedSecretResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .AddOpenApiOperationTransformer(SecretOpenApi.RevokePreviousParameter)
            .WithName(names + "RegenerateWebhookSecret")
            .WithSummary("Issue a new signing secret; the previous ones keep signing for the rotation overlap, unless revokePrevious=true.");

        webhooks.MapPost("/{webhookId}/secret/revoke-previous", (string orgId, string webhookId, HttpRequest request, WebhookApi handlers, CancellationToken ct) => handlers.RevokePreviousSecretsAsync(orgId, webhookId, request, ct))
            .Produces<WebhookResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName(names + "RevokePreviousWebhookSecrets")
            .WithSummary("End the overlap of every previous signing secret at once (a leaked secret): only the current one signs from now on.");

        organization.MapDeliveryRoutes(names);
        return organization;
    }
}
