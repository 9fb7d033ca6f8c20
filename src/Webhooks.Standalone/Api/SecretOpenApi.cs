using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Webhooks.Standalone.Api;

/// <summary>
/// OpenAPI for the secret routes' query flag, which the library reads itself (so both hosts refuse
/// a bad value the same way, naming it) and routing therefore cannot describe.
/// </summary>
internal static class SecretOpenApi
{
    public static Task RevokePreviousParameter(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "revokePrevious",
            In = ParameterLocation.Query,
            Required = false,
            Description = "true: the previous signing secrets stop signing at once (for a leaked secret) instead of after the rotation overlap.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = System.Text.Json.Nodes.JsonValue.Create(false) },
        });
        return Task.CompletedTask;
    }
}
