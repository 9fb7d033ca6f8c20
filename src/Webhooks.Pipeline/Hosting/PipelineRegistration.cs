using Azure.Data.Tables;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Management;
using Webhooks.Management.Http;
using Webhooks.Model;
using Webhooks.Secrets;
using Webhooks.Sending;
using Webhooks.Storage;

namespace Webhooks.Hosting;

/// <summary>The one registration both hosts call: settings, Azure clients, stores and use cases.</summary>
public static class PipelineRegistration
{
    public static IHostApplicationBuilder AddWebhookPipeline(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString) || o.TableServiceUri is not null,
                $"Set {StorageOptions.Section}:ConnectionString or {StorageOptions.Section}:TableServiceUri.")
            .ValidateOnStart();
        services.AddOptions<SecretsOptions>().BindConfiguration(SecretsOptions.Section)
            .Validate(o => o.RotationOverlap >= TimeSpan.Zero && o.CacheDuration >= TimeSpan.Zero, "Secret durations must not be negative.")
            .ValidateOnStart();
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section)
            .Validate(o => o.MaxRequestBodyBytes > 0 && o.DefaultPageSize >= 1 && o.DefaultPageSize <= o.MaxPageSize, "API limits must be positive, and the default page size within the maximum.")
            .ValidateOnStart();
        services.AddOptions<EndpointOptions>().BindConfiguration(EndpointOptions.Section);
        services.AddOptions<SendingOptions>().BindConfiguration(SendingOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero && o.MaxResponseBodyBytes >= 0, "Sending timeout must be positive.")
            .ValidateOnStart();
        services.AddOptions<EventTypeOptions>().BindConfiguration(EventTypeOptions.Section);

        var secrets = builder.Configuration.GetSection(SecretsOptions.Section).Get<SecretsOptions>() ?? new SecretsOptions();
        if (secrets.VaultUri is null && !secrets.AllowDevelopmentStore && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"No Key Vault is configured: set {SecretsOptions.Section}:VaultUri, or {SecretsOptions.Section}:AllowDevelopmentStore=true to keep secrets in a development table (never in production).");
        }
        services.AddAzureClients(clients =>
        {
            clients.UseCredential(new DefaultAzureCredential());
            clients.AddClient<TableServiceClient, TableClientOptions>((options, credential, provider) =>
            {
                var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
                return string.IsNullOrWhiteSpace(storage.ConnectionString)
                    ? new TableServiceClient(storage.TableServiceUri, credential, options)
                    : new TableServiceClient(storage.ConnectionString, options);
            });
            if (secrets.VaultUri is not null)
            {
                clients.AddSecretClient(secrets.VaultUri);
            }
        });

        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddSingleton<TableProvider>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<DeliveryHistoryStore>();
        // Whichever store backs the secrets, resolution goes through the cache.
        services.AddSingleton<ISecretStore>(sp => ActivatorUtilities.CreateInstance<CachingSecretStore>(sp,
            secrets.VaultUri is not null
                ? new KeyVaultSecretStore(sp.GetRequiredService<SecretClient>())
                : ActivatorUtilities.CreateInstance<DevelopmentSecretStore>(sp)));
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<EventTypeCatalog>();
        services.AddSingleton<EndpointUrlRules>();
        services.AddSingleton<WebhookRequestValidator>();
        services.AddSingleton<WebhookManager>();
        services.AddSingleton<JsonRequestReader>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<WebhookApi>();
        services.AddWebhookSending();
        services.AddHostedService<StartupWarnings>();
        return builder;
    }
}
