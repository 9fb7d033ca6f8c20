using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Webhooks.Api;
using Microsoft.Extensions.Options;
using Webhooks.Events;
using Webhooks.Signing;

namespace Webhooks.Standalone.Api;

/// <summary>
/// The OpenAPI document's own parts: title and description, the two security schemes with each
/// operation's requirement (assigned by path prefix, so routes added later are covered), examples of
/// the calls people copy first, and the 3.1 <c>webhooks</c> section (<see cref="OutgoingWebhooksOpenApi"/>).
/// </summary>
internal static class DocumentOpenApi
{
    public const string ApiKeyScheme = "apiKey";
    public const string PortalTokenScheme = "portalToken";

    /// <summary>Portal routes take only a portal session's token; every other <c>/api</c> route takes only the API key.</summary>
    public const string PortalPrefix = "/api/portal/";

    public static Task Describe(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Webhook delivery pipeline",
            Version = "v1",
            Description = "Manage webhooks (generic, Slack, Teams, Discord), read their delivery history and statistics, resend, test and recover "
                + "deliveries, and publish events. Operator routes take the API key (X-Api-Key, or Authorization: Bearer KEY); customer portal "
                + "routes under /api/portal take a portal session's token (Authorization: Bearer JWT) and see one organization. Errors are "
                + "application/problem+json naming each field at fault. The webhooks section describes what each webhook type receives.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiOptions.KeyHeader,
            Description = "An operator API key (Webhooks:Api:Keys); Authorization: Bearer KEY is accepted too. All organizations.",
        };
        document.Components.SecuritySchemes[PortalTokenScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A portal session's token (POST /api/orgs/{orgId}/portal-sessions): one organization, read or manage, short-lived.",
        };
        foreach (var (path, item) in document.Paths)
        {
            var scheme = path.StartsWith(PortalPrefix, StringComparison.Ordinal) ? PortalTokenScheme : ApiKeyScheme;
            foreach (var operation in item.Operations?.Values.AsEnumerable() ?? [])
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] }];
            }
        }
        AddExamples(document);
        OutgoingWebhooksOpenApi.Describe(document, context.ApplicationServices.GetRequiredService<IOptions<SigningOptions>>().Value.HeaderPrefix);
        return Task.CompletedTask;
    }

    private static void AddExamples(OpenApiDocument document)
    {
        var sample = EventSamples.EnvelopeOf("build_completed");
        if (Operation(document, "/api/orgs/{orgId}/webhooks", HttpMethod.Post) is { } create)
        {
            SetExample(create.RequestBody?.Content, new JsonObject
            {
                ["name"] = "Build notifications",
                ["url"] = "https://receiver.example.com/hooks",
                ["events"] = new JsonArray("build_completed", "build_failed"),
                ["projects"] = new JsonObject { ["include"] = new JsonArray("my-app") },
            });
            if (create.Responses?.TryGetValue("201", out var created) == true)
            {
                SetExample(created.Content, new JsonObject
                {
                    ["id"] = "wh_01JH2X4Y6Z8A0B2C4D6E8F0G2H",
                    ["organizationId"] = "acme",
                    ["name"] = "Build notifications",
                    ["type"] = "generic",
                    ["url"] = "https://receiver.example.com/hooks",
                    ["events"] = new JsonArray("build_completed", "build_failed"),
                    ["projects"] = new JsonObject { ["include"] = new JsonArray("my-app") },
                    ["enabled"] = true,
                    ["createdAt"] = "2026-01-15T09:30:00+00:00",
                    ["updatedAt"] = "2026-01-15T09:30:00+00:00",
                    ["lastTriggeredAt"] = null,
                    ["lastStatusCode"] = null,
                    ["disabledReason"] = null,
                    ["disabledAt"] = null,
                    ["secret"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                });
            }
        }
        if (Operation(document, "/api/orgs/{orgId}/events", HttpMethod.Post) is { } publish)
        {
            SetExample(publish.RequestBody?.Content, sample);
        }
    }

    private static OpenApiOperation? Operation(OpenApiDocument document, string path, HttpMethod method) =>
        document.Paths.TryGetValue(path, out var item) && item.Operations?.TryGetValue(method, out var operation) == true ? operation : null;

    private static void SetExample(IDictionary<string, OpenApiMediaType>? content, JsonNode example)
    {
        if (content is not null && content.TryGetValue("application/json", out var json))
        {
            json.Example = example.DeepClone();
        }
    }
}
