using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Webhooks.Events;
using Webhooks.Formatting;
using Webhooks.Model;

namespace Webhooks.Standalone.Api;

/// <summary>
/// The OpenAPI 3.1 <c>webhooks</c> section: the request each webhook type receives, with its
/// headers, a schema and an example built by the library's own formatters (so the examples are what
/// is sent), for receivers that generate types from the document.
/// </summary>
internal static class OutgoingWebhooksOpenApi
{
    /// <param name="document">The document to add the section to.</param>
    /// <param name="headerPrefix">The configured prefix of the product-style headers (<c>Webhooks:Signing:HeaderPrefix</c>), so the document names what is sent.</param>
    public static void Describe(OpenApiDocument document, string headerPrefix)
    {
        var e = EventSamples.Of("build_completed");
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        document.Webhooks["generic"] = PathItem("Generic webhook delivery",
            "POSTed to a generic webhook's URL for each subscribed event, signed per Standard Webhooks; the same webhook-id on every retry and resend.",
            GenericSchema(), GenericPayload.Build(e), SignedHeaders(headerPrefix));
        document.Webhooks["slack"] = PathItem("Slack delivery",
            "POSTed to a Slack incoming-webhook URL: a Block Kit message (header, fields, message, footer). Unsigned: Slack authenticates the URL's token.",
            ChatSchema("Block Kit message", "text", "blocks"), SlackMessage.Build(e), []);
        document.Webhooks["teams"] = PathItem("Teams workflow delivery",
            "POSTed to a Teams workflow URL: the generic payload plus text, card (an Adaptive Card 1.5), type 'message' and the same card as attachments[0].content, "
            + "so both custom flows and Microsoft's 'post to a channel when a webhook request is received' template work. A legacy connector URL gets a MessageCard instead.",
            TeamsSchema(), TeamsMessage.Build(e, TeamsFlavor.Workflow), []);
        document.Webhooks["discord"] = PathItem("Discord delivery",
            "POSTed to a Discord webhook URL: one embed with status colour, title, fields and footer; mentions are switched off.",
            ChatSchema("Discord execute-webhook body", "embeds", "allowed_mentions"), DiscordMessage.Build(e), []);
    }

    private static OpenApiPathItem PathItem(string summary, string description, OpenApiSchema schema, JsonObject example, List<IOpenApiParameter> headers) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Post] = new OpenApiOperation
            {
                Summary = summary,
                Description = description,
                Parameters = headers,
                RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new OpenApiMediaType { Schema = schema, Example = example },
                    },
                },
                Responses = new OpenApiResponses
                {
                    ["2XX"] = new OpenApiResponse { Description = "Delivered. Any other status (or none within the timeout) is retried on the schedule; 410 Gone disables the webhook." },
                },
            },
        },
    };

    private static List<IOpenApiParameter> SignedHeaders(string prefix) =>
    [
        Header("webhook-id", "The delivery id: the same on every retry and resend, so receivers can drop repeats."),
        Header("webhook-timestamp", "This attempt's time, Unix seconds."),
        Header("webhook-signature", "Space-separated v1,<base64 HMAC-SHA256 of \"{webhook-id}.{webhook-timestamp}.{body}\">, one per valid secret (Standard Webhooks)."),
        Header($"{prefix}-Event", $"The event type (the {prefix} prefix is configurable: Webhooks:Signing:HeaderPrefix)."),
        Header($"{prefix}-Delivery", "The delivery id."),
        Header($"{prefix}-Timestamp", "This attempt's time, ISO 8601."),
        Header($"{prefix}-Signature", "Comma-separated sha256=<hex HMAC-SHA256 of the body keyed with the whole whsec_ secret>, one per valid secret."),
    ];

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = true,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static OpenApiSchema String(string? description = null, bool nullable = false) =>
        new() { Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String, Description = description };

    private static OpenApiSchema GenericSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "id", "event", "timestamp", "organization", "data" },
        Properties = GenericProperties(),
    };

    private static Dictionary<string, IOpenApiSchema> GenericProperties() => new()
    {
        ["id"] = String("The event id the producer gave."),
        ["event"] = String("The event type, e.g. build_completed."),
        ["timestamp"] = String("When the event occurred, ISO 8601 UTC with milliseconds."),
        ["organization"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "id" },
            Properties = new Dictionary<string, IOpenApiSchema> { ["id"] = String(), ["name"] = String(nullable: true) },
        },
        ["project"] = String(nullable: true),
        ["data"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The product's own fields, as published." },
        ["message"] = String("Present when the event has one."),
    };

    private static OpenApiSchema TeamsSchema()
    {
        var properties = GenericProperties();
        properties["text"] = String("The event in words.");
        properties["card"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "An Adaptive Card 1.5." };
        properties["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = "message" };
        properties["attachments"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Items = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["contentType"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = TeamsMessage.AdaptiveCardContentType },
                    ["content"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The same Adaptive Card as card." },
                },
            },
        };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "id", "event", "timestamp", "organization", "data", "text", "card", "type", "attachments" },
            Properties = properties,
        };
    }

    private static OpenApiSchema ChatSchema(string description, params string[] members) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description + " (the service's own format; see the example).",
        Properties = members.ToDictionary(m => m, m => (IOpenApiSchema)new OpenApiSchema()),
    };
}
