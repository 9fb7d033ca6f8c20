using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Webhooks.Hosting;
using Webhooks.Storage;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// The Functions app's services: the shared pipeline and the app's own settings. Program.cs calls it,
/// and so does the Functions host stand-in that runs the app's orchestrations in tests and benchmarks,
/// so both build the functions from one container shape.
/// </summary>
public static class FunctionsAppRegistration
{
    /// <summary>
    /// The app setting that names the events queue in the queue trigger's binding (<c>%WebhookEventsQueue%</c>).
    /// It is flat on purpose: the scale controller reads trigger bindings without resolving <c>:</c>-nested
    /// settings, so a nested name would leave a backlog waiting at zero instances on Flex Consumption.
    /// </summary>
    public const string EventsQueueSetting = "WebhookEventsQueue";

    public static IHostApplicationBuilder AddWebhookFunctionsApp(this IHostApplicationBuilder builder)
    {
        builder.AddWebhookPipeline();
        // The trigger reads the flat setting; the library publishes and poisons by Webhooks:Storage:EventsQueue. One name for both.
        builder.Services.AddOptions<StorageOptions>()
            .PostConfigure<IConfiguration>((storage, configuration) =>
            {
                if (configuration[EventsQueueSetting] is { Length: > 0 } queue)
                {
                    storage.EventsQueue = queue;
                }
            })
            .Validate<IConfiguration>(
                (_, configuration) => configuration[EventsQueueSetting] is { Length: > 0 } queue
                    && (configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.EventsQueue)}"] is not { Length: > 0 } nested || nested == queue),
                $"Set the app setting {EventsQueueSetting} to the events queue's name: the queue trigger reads it (Webhooks:Storage:EventsQueue, when set, must be the same).")
            .ValidateOnStart();
        return builder;
    }
}
