namespace Webhooks.Standalone.LocalDevelopment;

/// <summary>
/// A webhook URL the local run answers itself, so a newcomer can point a webhook at it from the dashboard and
/// watch a delivery arrive without starting a receiver of their own. It takes every delivery with a 200 and
/// logs its id; it checks no signature (the sample receiver in samples/receiver does).
/// </summary>
public static partial class SampleReceiver
{
    public const string Path = "/dev/receiver";

    public static IEndpointRouteBuilder MapSampleReceiver(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(Path, async (HttpRequest request, ILoggerFactory loggers) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            var deliveryId = request.Headers["webhook-id"].ToString();
            var bytes = body.Length;
            var logger = loggers.CreateLogger(typeof(SampleReceiver));
            Received(logger, deliveryId, bytes);
            return Results.Ok(new { received = deliveryId });
        }).ExcludeFromDescription();
        return routes;
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Sample receiver got delivery {DeliveryId} ({Bytes} bytes)")]
    private static partial void Received(ILogger logger, string deliveryId, long bytes);
}
