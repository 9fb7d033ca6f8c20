using System.Text.Json.Nodes;
using Webhooks.Events;
using Webhooks.Hosting;
using Webhooks.Model;
using Webhooks.QueueDriver;
using Webhooks.Standalone.LocalDevelopment;
using Webhooks.Storage;

namespace Webhooks.Standalone.Tools;

/// <summary>
/// <c>publish FILE|- [--org ID]</c>: puts an event on the events queue the way a producer does,
/// through the library's producer client. A missing <c>id</c> or <c>occurredAt</c> is filled in,
/// so one sample file can be published again and again. With no storage configured it uses the
/// embedded Azurite of a local run started from this checkout.
/// </summary>
public static class PublishCommand
{
    public static bool IsRequested(string[] args) => args is ["publish", ..];

    /// <summary><c>dotnet run --project</c> starts in the project's folder: a relative path not found there is read from the checkout's root.</summary>
    private static string Locate(string path) =>
        File.Exists(path) || Path.IsPathRooted(path) ? path : Path.Combine(RepositoryRoot.Find(), path);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync("usage: publish <event.json | -> [--org <organization id>]");
            return 2;
        }
        var envelope = JsonNode.Parse(args[1] == "-" ? await Console.In.ReadToEndAsync() : await File.ReadAllTextAsync(Locate(args[1]))) as JsonObject
            ?? throw new InvalidOperationException("The event must be a JSON object.");
        envelope["id"] ??= ResourceIds.NewEventId();
        envelope["occurredAt"] ??= DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        if (args.SkipWhile(a => a != "--org").Skip(1).FirstOrDefault() is { } org)
        {
            envelope["organization"] = new JsonObject { ["id"] = org, ["name"] = envelope["organization"]?["name"]?.DeepClone() };
        }

        var builder = WebApplication.CreateBuilder();
        EmbeddedStorage.UseRunningLocalStorage(builder);
        // The host's own registrations, so the producer client is configured exactly as the host's.
        builder.AddWebhookPipeline();
        builder.AddQueueDriver();
        await using var app = builder.Build();
        try
        {
            var e = app.Services.GetRequiredService<EventEnvelopeReader>().Read(System.Text.Encoding.UTF8.GetBytes(envelope.ToJsonString()));
            var published = await app.Services.GetRequiredService<EventPublisher>().PublishAsync(e, CancellationToken.None);
            Console.WriteLine($"Published event {e.Id} ({e.Type}) of organization {e.Organization.Id} as queue message {published.MessageId}, traceparent {published.TraceParent}.");
            return 0;
        }
        catch (ValidationException invalid)
        {
            foreach (var (field, messages) in invalid.Errors)
            {
                await Console.Error.WriteLineAsync($"{field}: {string.Join(" ", messages)}");
            }
            return 2;
        }
    }
}
