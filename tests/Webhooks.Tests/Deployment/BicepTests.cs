using System.Text.Json;
using System.Text.RegularExpressions;

namespace Webhooks.Tests.Deployment;

/// <summary>
/// The deployment's Bicep, checked offline the way CI can: every file under infra/ builds and lints
/// with no warning or error at all (Bicep reports unknown API versions, unknown properties and linter
/// findings as warnings with exit code 0, so the output itself is what fails the check), and the
/// template, its parameters file and the app agree.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class BicepTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in InfraFiles.BicepFiles())
        {
            data.Add(file);
        }
        return data;
    }

    [Fact]
    public void InfraHoldsTheMainTemplateAndItsModules()
    {
        var files = InfraFiles.BicepFiles();
        Assert.Contains("infra/main.bicep", files);
        Assert.True(files.Count > 1, "main.bicep is expected to compose modules under infra/.");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task EveryBicepFileBuildsAndLintsWithoutWarningsOrErrors(string file)
    {
        var runs = await Task.WhenAll(BicepCli.BuildInfraAsync(), BicepCli.LintInfraAsync());

        AssertClean($"bicep build {file}", runs[0], file);
        AssertClean($"bicep lint {file}", runs[1], file);
        Assert.True(runs[0].Template(file) is not null, $"bicep build wrote no template for {file}:{Environment.NewLine}{runs[0].Run.Output}");
    }

    [Fact]
    public void InfraUsesNoRegistryModules()
    {
        var offending = InfraFiles.BicepFiles()
            .SelectMany(file => File.ReadLines(InfraFiles.Full(file)).Where(line => RegistryModule().IsMatch(line)).Select(line => $"{file}: {line.Trim()}"))
            .ToList();

        Assert.True(offending.Count == 0, "Registry modules need the network to build; write plain resources instead:" + Environment.NewLine + string.Join(Environment.NewLine, offending));
    }

    [Fact]
    public async Task TheParametersFileSetsOnlyParametersOfMainAndEveryOneWithoutADefault()
    {
        using var template = await ArmTemplates.BuildAsync("infra/main.bicep");
        var declared = template.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        using var parametersFile = JsonDocument.Parse(await File.ReadAllTextAsync(InfraFiles.Full("infra/main.parameters.json")));
        var given = parametersFile.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString());

        Assert.Empty(given.Keys.Except(declared.Keys));
        Assert.Empty(declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Key).Except(given.Keys));
        // azd fills these from the environment it is working in.
        Assert.Equal("${AZURE_ENV_NAME}", given["environmentName"]);
        Assert.Equal("${AZURE_LOCATION}", given["location"]);
        Assert.Equal("${AZURE_PRINCIPAL_ID}", given["principalId"]);
    }

    [Fact]
    public async Task MainOutputsWhatAzdAndTheDeployGuideUse()
    {
        using var template = await ArmTemplates.BuildAsync("infra/main.bicep");
        var outputs = template.RootElement.GetProperty("outputs").EnumerateObject().Select(o => o.Name).ToHashSet();

        string[] expected =
        [
            "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "AZURE_STORAGE_ACCOUNT_NAME",
            "AZURE_STORAGE_QUEUE_ENDPOINT", "AZURE_STORAGE_TABLE_ENDPOINT", "AZURE_KEY_VAULT_URI", "WEBHOOKS_EVENTS_QUEUE", "SERVICE_API_NAME", "SERVICE_API_URI",
        ];
        Assert.Empty(expected.Except(outputs));
    }

    [Fact]
    public async Task TheFunctionAppGetsEverySettingTheAppReadsInAzureAndNoneThatFlexRefusesOrThatWouldWeakenIt()
    {
        using var template = await ArmTemplates.BuildAsync("infra/app/api.bicep");
        var settings = template.RootElement.GetProperty("variables").GetProperty("appSettings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());

        string[] required =
        [
            "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri",
            "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri",
            "AZURE_CLIENT_ID", "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
            "Webhooks__Storage__TableServiceUri", "Webhooks__Storage__QueueServiceUri", "WebhookEventsQueue", "Webhooks__Secrets__VaultUri",
        ];
        Assert.Empty(required.Except(settings.Keys));
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);

        // Flex Consumption sets the runtime in functionAppConfig and refuses these; the others would bring back keys or development shortcuts.
        string[] refused =
        [
            "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "AzureWebJobsStorage",
            "Webhooks__Storage__ConnectionString", "Webhooks__Secrets__AllowDevelopmentStore", "Webhooks__Endpoints__AllowLoopback",
        ];
        Assert.Empty(refused.Intersect(settings.Keys));

        // Every %Setting% a binding of the generated functions.metadata names is an app setting, and flat: the scale
        // controller reads trigger bindings without resolving ':'-nested names.
        var bound = FunctionsMetadata.Functions.SelectMany(f => f.Bindings)
            .SelectMany(b => b.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
            .SelectMany(p => BindingSetting().Matches(p.Value.GetString()!).Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.NotEmpty(bound);
        Assert.All(bound, name => Assert.DoesNotContain(":", name, StringComparison.Ordinal));
        Assert.Empty(bound.Except(settings.Keys));
    }

    /// <summary>
    /// Clean: no finding in the file. A run that failed without naming any file (the CLI itself broke) fails every file;
    /// a finding in another file fails that file's case only.
    /// </summary>
    private static void AssertClean(string command, BicepBatch batch, string file)
    {
        var findings = batch.Findings(file);
        var brokeUnnamed = batch.Run.ExitCode != 0 && batch.Diagnostics().Count == 0;
        Assert.True(findings.Count == 0 && !brokeUnnamed,
            $"{command} (one run over infra/ exited with {batch.Run.ExitCode}):{Environment.NewLine}{string.Join(Environment.NewLine, findings.DefaultIfEmpty(batch.Run.Output))}");
    }

    [GeneratedRegex(@"^\s*module\s+\S+\s+'(br|ts)[:/]")]
    private static partial Regex RegistryModule();

    [GeneratedRegex(@"%([A-Za-z0-9_:.\-]+)%")]
    private static partial Regex BindingSetting();
}
