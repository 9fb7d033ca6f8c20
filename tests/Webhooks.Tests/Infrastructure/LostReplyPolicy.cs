using Azure.Core;
using Azure.Core.Pipeline;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// Loses the reply to the next conditional replace of a webhook row once armed: the request reaches
/// storage and is saved, then is sent again as the SDK's retry does, and the caller gets the answer
/// to that retry (412, since the row's ETag has moved on).
/// </summary>
public sealed class LostReplyPolicy : HttpPipelinePolicy
{
    private int armed;

    public int Lost { get; private set; }

    public void Arm() => Volatile.Write(ref armed, 1);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var replacingWebhook = message.Request.Method == RequestMethod.Put
            && message.Request.Uri.Path.Contains("/webhooks(", StringComparison.Ordinal)
            && message.Request.Headers.Contains("If-Match");
        if (replacingWebhook && Interlocked.Exchange(ref armed, 0) == 1)
        {
            await ProcessNextAsync(message, pipeline);
            message.Response.Dispose();
            Lost++;
        }
        await ProcessNextAsync(message, pipeline);
    }
}
