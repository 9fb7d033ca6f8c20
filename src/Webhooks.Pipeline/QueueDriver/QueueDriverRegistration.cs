using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Webhooks.Delivery;

namespace Webhooks.QueueDriver;

/// <summary>The standalone host's delivery driver: storage queues for events and delivery steps.</summary>
public static class QueueDriverRegistration
{
    public static IHostApplicationBuilder AddQueueDriver(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<QueueDriverOptions>().BindConfiguration(QueueDriverOptions.Section)
            .Validate(o => o.MaxDequeueCount >= 1 && o.EventsInFlight >= 1 && o.StepsInFlight >= 1 && o.MaxPollingInterval > TimeSpan.Zero
                && o.ActivePollingInterval >= TimeSpan.Zero && o.ActivePollingInterval <= o.MaxPollingInterval,
                "Driver limits must be positive, and ActivePollingInterval at most MaxPollingInterval.")
            .ValidateOnStart();
        services.AddSingleton<StepSender>();
        services.AddSingleton<QueueDeliveryScheduler>();
        services.AddSingleton<IDeliveryScheduler>(sp => sp.GetRequiredService<QueueDeliveryScheduler>());
        services.AddSingleton<EventMessageHandler>();
        services.AddSingleton<StepMessageHandler>();
        services.AddHostedService<QueueDriverService>();
        return builder;
    }
}
