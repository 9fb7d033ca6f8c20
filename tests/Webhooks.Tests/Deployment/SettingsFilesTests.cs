using System.Text.Json;
using System.Text.RegularExpressions;

namespace Webhooks.Tests.Deployment;

/// <summary>The Functions app's settings files beside its project: every setting documented, and host.json holding what the app relies on.</summary>
public sealed partial class SettingsFilesTests
{
    private static JsonElement Read(string file) => JsonDocument.Parse(File.ReadAllText(InfraFiles.Full(file))).RootElement;

    /// <summary>The configuration reference (docs/configuration.md), whose tables name each setting in their first column.</summary>
    private static string ConfigurationReference() => File.ReadAllText(InfraFiles.Full("docs/configuration.md"));

    [Fact]
    public void EverySettingOfTheLocalSampleIsInTheConfigurationReference()
    {
        var reference = ConfigurationReference();
        var keys = Read("functions/local.settings.sample.json").GetProperty("Values").EnumerateObject().Select(p => p.Name).ToList();

        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            // Lists are documented once (Schedule), environment names with ':' as in the reference's rows.
            var name = ListIndex().Replace(key, "").Replace("__", ":", StringComparison.Ordinal);
            var documented = reference.Contains($"`{name}`", StringComparison.Ordinal)
                || (name.LastIndexOf(':') is var cut and > 0 && reference.Contains($"`{name[..cut]}:", StringComparison.Ordinal) && reference.Contains($"`{name[(cut + 1)..]}`", StringComparison.Ordinal));
            Assert.True(documented, $"{key} is in local.settings.sample.json but not in the configuration reference (docs/configuration.md).");
        }
    }

    [Fact]
    public void TheLocalSampleRunsOnAzuriteWithTheDevelopmentSecretStore()
    {
        var values = Read("functions/local.settings.sample.json").GetProperty("Values");

        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("Webhooks__Storage__ConnectionString").GetString());
        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Equal("true", values.GetProperty("Webhooks__Secrets__AllowDevelopmentStore").GetString());
    }

    [Fact]
    public void HostJsonPassesQueueTextThroughAndSetsTheLimitsTheAppReliesOn()
    {
        var host = Read("functions/host.json");
        var queues = host.GetProperty("extensions").GetProperty("queues");
        var durable = host.GetProperty("extensions").GetProperty("durableTask");

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal("OpenTelemetry", host.GetProperty("telemetryMode").GetString());
        // The library decodes base64 and plain JSON itself; the trigger must hand it the text as it is.
        Assert.Equal("none", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.True(TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= TimeSpan.FromSeconds(10));
        Assert.Equal("api", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,44}$", durable.GetProperty("hubName").GetString());
        Assert.Equal("AzureStorage", durable.GetProperty("storageProvider").GetProperty("type").GetString());
        Assert.True(TimeSpan.Parse(durable.GetProperty("storageProvider").GetProperty("maxQueuePollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= TimeSpan.FromSeconds(10));
        Assert.InRange(durable.GetProperty("maxConcurrentActivityFunctions").GetInt32(), 1, 1000);
    }

    [Fact]
    public void TheFunctionsBuildCarriesBothSettingsFilesFromBesideTheProject()
    {
        // func start, run in functions/, looks for host.json and local.settings.json in that folder, as the templates keep them.
        var project = File.ReadAllText(InfraFiles.Full("functions/Webhooks.Functions.csproj"));

        Assert.True(File.Exists(InfraFiles.Full("functions/host.json")), "functions/host.json is missing.");
        Assert.True(File.Exists(InfraFiles.Full("functions/local.settings.sample.json")), "functions/local.settings.sample.json is missing.");
        Assert.Contains(@"Update=""host.json""", project, StringComparison.Ordinal);
        Assert.Contains(@"Update=""local.settings.json""", project, StringComparison.Ordinal);
        Assert.Contains("local.settings.json", File.ReadAllLines(InfraFiles.Full(".gitignore")));
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "host.json")), "host.json is not in the build output.");
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json")), "local.settings.sample.json is not in the build output.");
    }

    [GeneratedRegex(@"__\d+$")]
    private static partial Regex ListIndex();
}
