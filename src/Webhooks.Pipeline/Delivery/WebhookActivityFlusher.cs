using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Delivery;

/// <summary>Writes gathered webhook activity on a fixed cadence, and once more when the host stops.</summary>
internal sealed partial class WebhookActivityFlusher(WebhookActivity activity, IOptions<DeliveryOptions> options, ILogger<WebhookActivityFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.ActivityFlushInterval, stoppingToken);
                await activity.FlushAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Whatever storage throws (unreachable, throttled, credential), the flusher goes on: what was gathered is kept.
                LogFailed(e);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await activity.FlushAsync(cancellationToken);
        }
        catch (Exception e)
        {
            LogFailed(e);
        }
    }

    [LoggerMessage(3002, LogLevel.Warning, "Writing webhook activity failed; it is retried at the next flush")]
    private partial void LogFailed(Exception e);
}
