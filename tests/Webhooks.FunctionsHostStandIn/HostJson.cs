using System.Globalization;

namespace Webhooks.FunctionsHostStandIn;

/// <summary>
/// The Functions app's <c>host.json</c>, read the way the Functions host reads it: the file, then app
/// settings named <c>AzureFunctionsJobHost__path__to__value</c> overriding single values (the host's
/// documented override), with the defaults the host's extensions use where the file is silent.
/// </summary>
public sealed record HostJson(QueueTriggerSettings Queues, DurableTaskSettings DurableTask, string RoutePrefix)
{
    /// <summary>The configuration prefix under which host.json values are overridden, as in the Functions host.</summary>
    public const string OverridePrefix = "AzureFunctionsJobHost";

    public static HostJson Read(string path, IConfiguration overrides)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(path, optional: false)
            .AddConfiguration(overrides.GetSection(OverridePrefix))
            .Build();
        var queues = configuration.GetSection("extensions:queues");
        var durable = configuration.GetSection("extensions:durableTask");
        var storage = durable.GetSection("storageProvider");
        var provider = storage["type"] ?? "AzureStorage";
        if (!string.Equals(provider, "AzureStorage", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"host.json names the Durable storage provider '{provider}'; the stand-in runs the Azure Storage provider only.");
        }
        return new HostJson(
            new QueueTriggerSettings(
                BatchSize: Int(queues, "batchSize", 16),
                NewBatchThreshold: queues["newBatchThreshold"] is null ? null : Int(queues, "newBatchThreshold", 0),
                MaxDequeueCount: Int(queues, "maxDequeueCount", 5),
                VisibilityTimeout: Time(queues, "visibilityTimeout", TimeSpan.Zero),
                MaxPollingInterval: Time(queues, "maxPollingInterval", TimeSpan.FromMinutes(1)),
                MessageEncoding: queues["messageEncoding"] ?? "base64"),
            new DurableTaskSettings(
                HubName: durable["hubName"] ?? "TestHubName",
                PartitionCount: Int(storage, "partitionCount", 4),
                MaxQueuePollingInterval: Time(storage, "maxQueuePollingInterval", TimeSpan.FromSeconds(30)),
                ControlQueueBatchSize: Int(storage, "controlQueueBatchSize", 32),
                ControlQueueBufferThreshold: Int(storage, "controlQueueBufferThreshold", 128),
                ControlQueueVisibilityTimeout: Time(storage, "controlQueueVisibilityTimeout", TimeSpan.FromMinutes(5)),
                WorkItemQueueVisibilityTimeout: Time(storage, "workItemQueueVisibilityTimeout", TimeSpan.FromMinutes(5)),
                MaxConcurrentActivityFunctions: Int(durable, "maxConcurrentActivityFunctions", 10 * Environment.ProcessorCount),
                MaxConcurrentOrchestratorFunctions: Int(durable, "maxConcurrentOrchestratorFunctions", 10 * Environment.ProcessorCount),
                ExtendedSessionsEnabled: Bool(durable, "extendedSessionsEnabled")),
            configuration["extensions:http:routePrefix"] ?? "api");
    }

    private static int Int(IConfiguration section, string key, int fallback) =>
        section[key] is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static bool Bool(IConfiguration section, string key) =>
        section[key] is { } value && bool.Parse(value);

    private static TimeSpan Time(IConfiguration section, string key, TimeSpan fallback) =>
        section[key] is { } value ? TimeSpan.Parse(value, CultureInfo.InvariantCulture) : fallback;
}

/// <summary>
/// <c>extensions.queues</c>: how the queue trigger fetches and retries (defaults as the Storage Queues
/// extension documents them; a missing new-batch threshold is half the batch size times the processor count).
/// </summary>
public sealed record QueueTriggerSettings(int BatchSize, int? NewBatchThreshold, int MaxDequeueCount, TimeSpan VisibilityTimeout, TimeSpan MaxPollingInterval, string MessageEncoding)
{
    public int EffectiveNewBatchThreshold => NewBatchThreshold ?? BatchSize / 2 * Environment.ProcessorCount;
}

/// <summary><c>extensions.durableTask</c>: the task hub and its Azure Storage provider, as the Durable extension maps them.</summary>
public sealed record DurableTaskSettings(
    string HubName,
    int PartitionCount,
    TimeSpan MaxQueuePollingInterval,
    int ControlQueueBatchSize,
    int ControlQueueBufferThreshold,
    TimeSpan ControlQueueVisibilityTimeout,
    TimeSpan WorkItemQueueVisibilityTimeout,
    int MaxConcurrentActivityFunctions,
    int MaxConcurrentOrchestratorFunctions,
    bool ExtendedSessionsEnabled);
