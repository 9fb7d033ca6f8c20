using Azure.Data.Tables;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Api;
using Webhooks.Dashboard;
using Webhooks.Delivery;
using Webhooks.Diagnostics;
using Webhooks.Events;
using Webhooks.Ingestion;
using Webhooks.Management;
using Webhooks.Model;
using Webhooks.Protection;
using Webhooks.QueueDriver;
using Webhooks.Secrets;
using Webhooks.Sending;
using Webhooks.Signing;
using Webhooks.Storage;

namespace Webhooks.Hosting;

/// <summary>The one registration both hosts call: settings, Azure clients, stores and use cases.</summary>
public static class PipelineRegistration
{
    public static IHostApplicationBuilder AddWebhookPipeline(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString) || (o.TableServiceUri is not null && o.QueueServiceUri is not null),
                $"Set {StorageOptions.Section}:ConnectionString, or both {StorageOptions.Section}:TableServiceUri and QueueServiceUri.")
            .ValidateOnStart();
        services.AddOptions<SecretsOptions>().BindConfiguration(SecretsOptions.Section)
            .Validate(o => o.RotationOverlap >= TimeSpan.Zero && o.CacheDuration >= TimeSpan.Zero, "Secret durations must not be negative.")
            .Validate(o => o.MaxPreviousSecrets is >= 0 and <= SecretsOptions.MaxPreviousSecretsLimit, $"{SecretsOptions.Section}:MaxPreviousSecrets must be from 0 to {SecretsOptions.MaxPreviousSecretsLimit}.")
            .ValidateOnStart();
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section)
            .Validate(o => o.MaxRequestBodyBytes > 0 && o.DefaultPageSize >= 1 && o.DefaultPageSize <= o.MaxPageSize, "API limits must be positive, and the default page size within the maximum.")
            .ValidateOnStart();
        services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortalOptions>, PortalOptionsValidation>();
        services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.Section)
            .Validate(o => o.IsInRange(), QuotaOptions.RangesMessage)
            .ValidateOnStart();
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section)
            .Validate(o => o.IsInRange(), DashboardOptions.RangesMessage)
            .ValidateOnStart();
        services.AddOptions<EndpointOptions>().BindConfiguration(EndpointOptions.Section);
        services.AddOptions<SendingOptions>().BindConfiguration(SendingOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero && o.MaxResponseBodyBytes >= 0, "Sending timeout must be positive.")
            .ValidateOnStart();
        services.AddOptions<EventTypeOptions>().BindConfiguration(EventTypeOptions.Section);
        services.AddOptions<SigningOptions>().BindConfiguration(SigningOptions.Section)
            .Validate(o => o.HeaderPrefix.Length > 0 && o.HeaderPrefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'), "The signing header prefix must be letters, digits and '-'.")
            .ValidateOnStart();
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section)
            .Validate(o => o.AutoDisableAfter > TimeSpan.Zero && o.ActivityFlushInterval > TimeSpan.Zero && o.MaxConcurrentAttempts >= 1
                && o.MaxConcurrentAttemptsPerWebhook >= 1 && o.FanOutParallelism >= 1 && o.LeaseMargin >= TimeSpan.Zero, "Delivery settings must be positive.")
            .ValidateOnStart();
        services.AddOptions<ProtectionPolicy>().BindConfiguration(ProtectionPolicy.Section)
            .Validate(o => o.IsValid(), "Protection settings must be positive, the slow-down factor between 0 and 1, and the longest probe interval at least the first.")
            .ValidateOnStart();
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section)
            .Validate(o => o.IsValid(), $"{HealthOptions.Section}: the timeout must be positive and the cache duration not negative.")
            .ValidateOnStart();
        services.AddOptions<RetryPolicy>()
            .Configure<IConfiguration>((policy, configuration) =>
            {
                // The binder appends a configured list to the default one; a configured schedule must replace it.
                var section = configuration.GetSection(RetryPolicy.Section);
                var schedule = section.GetSection(nameof(RetryPolicy.Schedule)).Get<List<TimeSpan>>();
                section.Bind(policy);
                if (schedule is { Count: > 0 })
                {
                    policy.Schedule = schedule;
                }
            })
            .Validate(p => p.IsValid(), $"{RetryPolicy.Section}: the schedule needs at least one delay, none negative or (with jitter) over 7 days; jitter below 1; the Retry-After cap within 7 days.")
            .ValidateOnStart();

        var secrets = builder.Configuration.GetSection(SecretsOptions.Section).Get<SecretsOptions>() ?? new SecretsOptions();
        var counter = builder.Configuration.GetValue<bool>($"{DiagnosticsOptions.Section}:{nameof(DiagnosticsOptions.CountStorageOperations)}")
            ? new StorageOperationCounter()
            : null;
        if (counter is not null)
        {
            services.AddSingleton(counter);
        }
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
                if (counter is not null)
                {
                    options.AddPolicy(counter.PolicyFor(StorageService.Table), Azure.Core.HttpPipelinePosition.PerRetry);
                }
                var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
                return string.IsNullOrWhiteSpace(storage.ConnectionString)
                    ? new TableServiceClient(storage.TableServiceUri, credential, options)
                    : new TableServiceClient(storage.ConnectionString, options);
            });
            clients.AddClient<QueueServiceClient, QueueClientOptions>((options, credential, provider) =>
            {
                if (counter is not null)
                {
                    options.AddPolicy(counter.PolicyFor(StorageService.Queue), Azure.Core.HttpPipelinePosition.PerRetry);
                }
                var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
                // Messages are handled as raw text: QueueMessageText writes base64 and reads base64 or JSON.
                options.MessageEncoding = QueueMessageEncoding.None;
                return string.IsNullOrWhiteSpace(storage.ConnectionString)
                    ? new QueueServiceClient(storage.QueueServiceUri, credential, options)
                    : new QueueServiceClient(storage.ConnectionString, options);
            });
            if (secrets.VaultUri is not null)
            {
                clients.AddSecretClient(secrets.VaultUri);
            }
        });

        // Problem responses carry the same members (traceId included) from both hosts.
        services.AddProblemDetails();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddSingleton<TableProvider>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<QueueProvider>();
        services.AddSingleton<EventLedger>();
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
        services.AddSingleton<PortalKeyRing>();
        services.AddSingleton<PortalTokens>();
        services.AddSingleton<PortalGate>();
        services.AddSingleton<PortalSessionApi>();
        services.AddSingleton<DeliveryApi>();
        services.AddSingleton<DashboardFiles>();
        services.AddSingleton<DashboardPage>();
        services.AddSingleton<EventRateLimiter>();
        services.AddSingleton<DeliveryManager>();
        services.AddSingleton<EventEnvelopeReader>();
        services.AddSingleton<EventPublisher>();
        services.AddSingleton<EventIntake>();
        services.AddSingleton<EventFanOut>();
        services.AddSingleton<EventQueueConsumer>();
        services.AddSingleton<PoisonMessages>();
        services.AddMetrics();
        services.AddSingleton<DeliveryTelemetry>();
        services.AddSingleton<AttemptHolds>();
        services.AddSingleton<DeliveryLease>();
        services.AddSingleton<EndpointConcurrency>();
        services.AddSingleton<DeliveryRequests>();
        services.AddSingleton<EndpointStateStore>();
        services.AddSingleton<ProtectionTelemetry>();
        services.AddSingleton<EndpointGate>();
        services.AddSingleton<AttemptRunner>();
        services.AddSingleton<DeliveryConclusions>();
        services.AddSingleton<WebhookDisabler>();
        services.AddSingleton<WebhookActivity>();
        services.AddHostedService<WebhookActivityFlusher>();
        services.AddWebhookSending();
        services.AddHostedService<StartupWarnings>();
        services.AddPipelineHealthChecks(keyVault: secrets.VaultUri is not null);
        services.AddOptions<BacklogOptions>().BindConfiguration(BacklogOptions.Section)
            .Validate(o => o.SampleInterval >= TimeSpan.Zero, $"{BacklogOptions.Section}:SampleInterval must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<BacklogMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<BacklogMonitor>());
        return builder;
    }
}
