using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;

namespace Webhooks.Tests.Deployment;

/// <summary>
/// The generated functions.metadata is what the Functions host indexes the app by (and what the scale controller reads
/// the queue trigger from): every function the app declares must be in it with the trigger, route, method, key level and
/// bindings the API and the deployment rely on, and nothing else; extensions.json must load the extensions those
/// bindings need.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Assembly App = typeof(Webhooks.Functions.Program).Assembly;

    private sealed record HttpFunction(string Name, string Method, string Route, bool StartsDeliveries, string AuthLevel = "Function");

    private const string Webhooks = "orgs/{orgId}/webhooks";
    private const string Webhook = Webhooks + "/{webhookId}";

    // The management API (the standalone host serves the same routes under /api). Those that start deliveries need a Durable client.
    private static readonly HttpFunction[] Http =
    [
        new("ListEventTypes", "get", "event-types", false),
        new("GetEventSchema", "get", "event-types/schema", false),
        new("ListOrganizations", "get", "orgs", false),
        new("CreateWebhook", "post", Webhooks, false),
        new("ListWebhooks", "get", Webhooks, false),
        new("GetWebhook", "get", Webhook, false),
        new("UpdateWebhook", "patch", Webhook, false),
        new("DeleteWebhook", "delete", Webhook, false),
        new("RegenerateWebhookSecret", "post", Webhook + "/secret/regenerate", false),
        new("RevokePreviousWebhookSecrets", "post", Webhook + "/secret/revoke-previous", false),
        new("ListDeliveries", "get", Webhook + "/deliveries", false),
        new("GetWebhookStats", "get", Webhook + "/stats", false),
        new("GetDelivery", "get", Webhook + "/deliveries/{deliveryId}", false),
        new("ResendDelivery", "post", Webhook + "/deliveries/{deliveryId}/resend", true),
        new("TestWebhook", "post", Webhook + "/test", true),
        new("RecoverDeliveries", "post", Webhook + "/recover", true),
        new("PublishEvent", "post", "orgs/{orgId}/events", false),
        // The dashboard page's files: public, anonymous; the API calls the page makes carry their own key or token.
        new("Dashboard", "get", "dashboard/{*path}", false, "Anonymous"),
        new("CreatePortalSession", "post", "orgs/{orgId}/portal-sessions", false),
        new("RotatePortalKey", "post", "portal-keys/rotate", false),
        // The portal: the organization routes again, opened by a session token the library verifies, so without a function key.
        new("GetPortalSession", "get", "portal/session", false, Anonymous),
        new("PortalListEventTypes", "get", "portal/event-types", false, Anonymous),
        new("PortalGetEventSchema", "get", "portal/event-types/schema", false, Anonymous),
        new("PortalCreateWebhook", "post", "portal/" + Webhooks, false, Anonymous),
        new("PortalListWebhooks", "get", "portal/" + Webhooks, false, Anonymous),
        new("PortalGetWebhook", "get", "portal/" + Webhook, false, Anonymous),
        new("PortalUpdateWebhook", "patch", "portal/" + Webhook, false, Anonymous),
        new("PortalDeleteWebhook", "delete", "portal/" + Webhook, false, Anonymous),
        new("PortalRegenerateWebhookSecret", "post", "portal/" + Webhook + "/secret/regenerate", false, Anonymous),
        new("PortalRevokePreviousWebhookSecrets", "post", "portal/" + Webhook + "/secret/revoke-previous", false, Anonymous),
        new("PortalListDeliveries", "get", "portal/" + Webhook + "/deliveries", false, Anonymous),
        new("PortalGetWebhookStats", "get", "portal/" + Webhook + "/stats", false, Anonymous),
        new("PortalGetDelivery", "get", "portal/" + Webhook + "/deliveries/{deliveryId}", false, Anonymous),
        new("PortalResendDelivery", "post", "portal/" + Webhook + "/deliveries/{deliveryId}/resend", true, Anonymous),
        new("PortalTestWebhook", "post", "portal/" + Webhook + "/test", true, Anonymous),
        new("PortalRecoverDeliveries", "post", "portal/" + Webhook + "/recover", true, Anonymous),
    ];

    private const string Anonymous = "Anonymous";

    private const string Orchestrator = "DeliverWebhook";

    public static TheoryData<string> HttpFunctionNames()
    {
        var data = new TheoryData<string>();
        foreach (var function in Http)
        {
            data.Add(function.Name);
        }
        return data;
    }

    [Fact]
    public void TheMetadataListsEveryFunctionOfTheAppAndNoOther()
    {
        var declared = DeclaredFunctions().Select(f => f.Name).ToList();
        var listed = FunctionsMetadata.Functions.Select(f => f.Name).ToList();

        Assert.True(declared.Count == declared.Distinct().Count(), $"Two [Function] methods share a name: {string.Join(", ", declared.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key))}.");
        Assert.True(listed.Count == listed.Distinct().Count(), $"functions.metadata lists a function twice: {string.Join(", ", listed.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key))}.");
        var missing = declared.Except(listed).ToList();
        var extra = listed.Except(declared).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"Declared with [Function] but not in functions.metadata (the host would never run them): [{string.Join(", ", missing)}]; "
            + $"in functions.metadata but not declared in {App.GetName().Name}: [{string.Join(", ", extra)}].");
    }

    [Fact]
    public void EveryFunctionRunsTheMethodThatDeclaresItFromTheAppAssembly()
    {
        var script = Path.GetFileName(App.Location);
        foreach (var (name, method) in DeclaredFunctions())
        {
            var entry = Listed(name);
            Assert.True(entry.EntryPoint == $"{method.DeclaringType!.FullName}.{method.Name}", $"{name}: entry point {entry.EntryPoint}, but it is declared by {method.DeclaringType!.FullName}.{method.Name}.");
            Assert.True(ScriptFile(name) == script, $"{name}: script file {ScriptFile(name)}, expected {script}.");
        }
    }

    [Fact]
    public void TheHttpFunctionsAreExactlyTheManagementApi()
    {
        var httpTriggered = FunctionsMetadata.Functions.Where(f => f.BindingTypes.Contains("httpTrigger")).Select(f => f.Name).Order().ToList();

        Assert.Equal(Http.Select(f => f.Name).Order(), httpTriggered);
    }

    [Theory]
    [MemberData(nameof(HttpFunctionNames))]
    public void EachHttpFunctionHasItsRouteMethodFunctionKeyAndBindings(string name)
    {
        var expected = Http.Single(f => f.Name == name);
        var function = Listed(name);
        var trigger = function.Trigger;

        Assert.True(Type(trigger) == "httpTrigger", $"{name} is triggered by {Type(trigger)}.");
        Assert.True(Direction(trigger) == "In", $"{name}: trigger direction {Direction(trigger)}.");
        Assert.True(Text(trigger, "route") == expected.Route, $"{name}: route {Text(trigger, "route")}, expected {expected.Route}.");
        var methods = trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).ToList();
        Assert.True(methods.SequenceEqual(new[] { expected.Method }), $"{name}: methods {string.Join(", ", methods)}, expected only {expected.Method}.");
        // Function: a caller needs a function (or host) key in Azure; Anonymous would open every organization's webhooks,
        // except on the portal's routes, which the library opens only to a valid session token of the route's organization.
        Assert.True(Text(trigger, "authLevel") == expected.AuthLevel, $"{name}: authLevel {Text(trigger, "authLevel")}, expected {expected.AuthLevel}.");

        var output = Assert.Single(function.Bindings, b => Type(b) == "http");
        Assert.True(Text(output, "name") == "$return" && Direction(output) == "Out", $"{name}: its http output binding is {output.GetRawText()}, expected $return, Out.");

        string[] bindings = expected.StartsDeliveries ? ["durableClient", "http", "httpTrigger"] : ["http", "httpTrigger"];
        Assert.True(function.BindingTypes.Order().SequenceEqual(bindings),
            $"{name}: bindings {string.Join(", ", function.BindingTypes)}, expected {string.Join(", ", bindings)}{(expected.StartsDeliveries ? " (it starts deliveries)" : " (it starts no delivery, so it needs no Durable client)")}.");
        if (expected.StartsDeliveries)
        {
            Assert.True(Direction(function.Bindings.Single(b => Type(b) == "durableClient")) == "In", $"{name}: its durableClient binding is not an input.");
        }
    }

    [Fact]
    public void TheFanOutIsTriggeredByTheEventsQueueNamedByAFlatSettingOnTheHostStorage()
    {
        var function = Listed("FanOutEvent");
        var trigger = function.Trigger;

        Assert.Equal("queueTrigger", Type(trigger));
        Assert.Equal("In", Direction(trigger));
        // A flat app setting: the scale controller reads trigger bindings without resolving ':'-nested names.
        Assert.Equal("%WebhookEventsQueue%", Text(trigger, "queueName"));
        // No connection of its own: the trigger uses AzureWebJobsStorage, which infra/ sets up identity-based (AzureWebJobsStorage__*).
        Assert.True(string.IsNullOrEmpty(Text(trigger, "connection")), $"FanOutEvent's trigger names connection '{Text(trigger, "connection")}', which infra/ does not configure.");
        Assert.Equal(new[] { "durableClient", "queueTrigger" }, function.BindingTypes.Order());
        Assert.Equal("In", Direction(function.Bindings.Single(b => Type(b) == "durableClient")));
    }

    [Fact]
    public void EveryOrchestratorAndActivityOfTheAppIsListedWithItsDurableTrigger()
    {
        var durable = DeclaredFunctions()
            .SelectMany(f => f.Method.GetParameters().Select(p => (f.Name, Parameter: p, Type: DurableTrigger(p))))
            .Where(x => x.Type is not null)
            .ToList();

        Assert.Contains(durable, d => d.Name == Orchestrator && d.Type == "orchestrationTrigger");
        Assert.Contains(durable, d => d.Type == "activityTrigger");
        foreach (var (name, parameter, type) in durable)
        {
            var function = Listed(name);
            var trigger = function.Trigger;
            Assert.True(Type(trigger) == type, $"{name}: functions.metadata has trigger {Type(trigger)}, but its parameter {parameter.Name} is an {type}.");
            Assert.True(Text(trigger, "name") == parameter.Name && Direction(trigger) == "In", $"{name}: trigger binding {trigger.GetRawText()}, expected {parameter.Name}, In.");
        }

        // And the other way: no function outside the app's Durable ones carries a Durable trigger.
        var durableNames = durable.Select(d => d.Name).ToHashSet();
        var stray = FunctionsMetadata.Functions.Where(f => f.BindingTypes.Any(t => t is "orchestrationTrigger" or "activityTrigger" or "entityTrigger") && !durableNames.Contains(f.Name)).Select(f => f.Name).ToList();
        Assert.True(stray.Count == 0, $"Durable triggers in functions.metadata without an [OrchestrationTrigger] or [ActivityTrigger] parameter: {string.Join(", ", stray)}.");
    }

    [Theory]
    [InlineData("Microsoft.Azure.WebJobs.Extensions.Storage.Queues")]
    [InlineData("Microsoft.Azure.WebJobs.Extensions.DurableTask")]
    public void TheHostLoadsTheExtensionFromTheBuild(string assembly)
    {
        var extensions = FunctionsMetadata.Extensions.GetProperty("extensions").EnumerateArray().ToList();
        var loaded = extensions.Select(e => e.GetProperty("typeName").GetString()!.Split(',')[1].Trim()).ToList();

        var extension = extensions.SingleOrDefault(e => e.GetProperty("typeName").GetString()!.Split(',')[1].Trim() == assembly);
        Assert.True(extension.ValueKind == JsonValueKind.Object, $"extensions.json does not load {assembly}; it loads {string.Join(", ", loaded)}.");
        // The host resolves hintPath from the app's folder: the assembly must be there (under .azurefunctions).
        var hint = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, extension.GetProperty("hintPath").GetString()!));
        Assert.True(File.Exists(hint), $"extensions.json points the host at {hint} for {assembly}, which the build did not produce.");
    }

    private static FunctionEntry Listed(string name) =>
        FunctionsMetadata.Functions.SingleOrDefault(f => f.Name == name) ?? throw new Xunit.Sdk.XunitException($"{name} is not in functions.metadata.");

    private static IEnumerable<(string Name, MethodInfo Method)> DeclaredFunctions() =>
        App.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Attribute: m.GetCustomAttribute<FunctionAttribute>(), Method: m))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Attribute!.Name, x.Method));

    private static string? DurableTrigger(ParameterInfo parameter) =>
        parameter.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null ? "orchestrationTrigger"
        : parameter.GetCustomAttribute<ActivityTriggerAttribute>() is not null ? "activityTrigger"
        : null;

    private static string ScriptFile(string name) => ScriptFiles.Value[name];

    // FunctionEntry does not carry scriptFile: read once from the same file.
    private static readonly Lazy<Dictionary<string, string>> ScriptFiles = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        return document.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("scriptFile").GetString()!);
    });

    private static string Type(JsonElement binding) => binding.GetProperty("type").GetString()!;

    private static string Direction(JsonElement binding) => binding.GetProperty("direction").GetString()!;

    private static string? Text(JsonElement binding, string property) =>
        binding.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
