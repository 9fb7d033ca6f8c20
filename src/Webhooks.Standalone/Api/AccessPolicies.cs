using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Webhooks.Api;

namespace Webhooks.Standalone.Api;

/// <summary>
/// Who may call what, with ASP.NET Core's own schemes and policies: operators by API key on <c>/api/...</c>;
/// portal sessions by JWT bearer on <c>/api/portal/...</c>, scoped to their organization, changes only
/// with the manage permission. Each scheme is accepted only where its policy names it, so an API key
/// opens no portal route and a portal token no operator route.
/// </summary>
public static class AccessPolicies
{
    public const string Operator = "Operator";

    public const string PortalRead = "PortalRead";

    public const string PortalManage = "PortalManage";

    public const string PortalScheme = "PortalSession";

    public static IServiceCollection AddAccessPolicies(this IServiceCollection services)
    {
        // No default scheme: a request is authenticated only by the scheme its route's policy names.
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer(PortalScheme);
        services.AddOptions<JwtBearerOptions>(PortalScheme).Configure<PortalTokens>(UsePortalTokens);
        services.AddSingleton<IAuthorizationHandler, OrganizationScopeHandler>();
        services.AddSingleton<IAuthorizationHandler, ManagePermissionHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessRefusals>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Operator, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(PortalRead, p => p.AddAuthenticationSchemes(PortalScheme).RequireAuthenticatedUser().AddRequirements(new OrganizationScopeRequirement()))
            .AddPolicy(PortalManage, p => p.AddAuthenticationSchemes(PortalScheme).RequireAuthenticatedUser().AddRequirements(new OrganizationScopeRequirement(), new ManagePermissionRequirement()));
        return services;
    }

    /// <summary>A group convention for portal routes: reads need <see cref="PortalRead"/>, changes <see cref="PortalManage"/>.</summary>
    public static TBuilder RequirePortalSession<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [];
            var change = methods.Count == 0 || methods.Any(PortalAccess.IsChange);
            endpoint.Metadata.Add(new AuthorizeAttribute(change ? PortalManage : PortalRead));
        });
        return builder;
    }

    private static void UsePortalTokens(JwtBearerOptions options, PortalTokens tokens)
    {
        options.TokenValidationParameters = tokens.ValidationParameters;
        options.MapInboundClaims = false;
        options.SaveToken = false;
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = async context =>
            {
                context.Token = BearerCredential.From(context.Request);
                await tokens.PrepareAsync(context.Token, context.HttpContext.RequestAborted);
            },
            OnTokenValidated = context =>
            {
                if (PortalSession.From(context.Principal) is null)
                {
                    context.Fail("The token is not a portal session.");
                }
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                await PortalAccess.Unauthorized().ExecuteAsync(context.HttpContext);
            },
        };
    }
}
