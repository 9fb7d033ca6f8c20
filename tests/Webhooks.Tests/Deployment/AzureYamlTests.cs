using System.Text.RegularExpressions;
using System.Xml.Linq;
using YamlDotNet.RepresentationModel;

namespace Webhooks.Tests.Deployment;

/// <summary>azure.yaml, the file azd up starts from: the Functions project as service "api" and the Bicep it provisions.</summary>
public sealed partial class AzureYamlTests
{
    [Fact]
    public void TheApiServiceDeploysTheFunctionsProjectAsAFunctionApp()
    {
        var root = Load();
        var api = Mapping(Mapping(root, "services"), "api");

        Assert.Equal("./functions", Scalar(api, "project"));
        Assert.Equal("dotnet", Scalar(api, "language"));
        Assert.Equal("function", Scalar(api, "host"));
        var project = Path.GetFullPath(Path.Combine(InfraFiles.Root, Scalar(api, "project")));
        Assert.True(Directory.Exists(project), $"{project} does not exist.");
        Assert.Single(Directory.EnumerateFiles(project, "*.csproj"));
    }

    [Fact]
    public void TheEnvironmentIsNamedAndProvisionedFromInfraMainBicep()
    {
        var root = Load();

        Assert.False(string.IsNullOrWhiteSpace(Scalar(root, "name")));
        var infra = Mapping(root, "infra");
        Assert.Equal("bicep", Scalar(infra, "provider"));
        Assert.True(File.Exists(Path.Combine(InfraFiles.Root, Scalar(infra, "path"), Scalar(infra, "module") + ".bicep")));
    }

    [Fact]
    public void TheFunctionsProjectPublishesItsHostJson()
    {
        // azd deploys the project's publish output: host.json must be in it.
        var projectFolder = Path.Combine(InfraFiles.Root, "functions");
        var project = XDocument.Load(Directory.EnumerateFiles(projectFolder, "*.csproj").Single());
        var hostJson = project.Descendants("None").Concat(project.Descendants("Content"))
            .SingleOrDefault(e => ((string?)e.Attribute("Update") ?? (string?)e.Attribute("Include") ?? "").Replace('\\', '/') == "host.json");

        Assert.NotNull(hostJson);
        Assert.True(File.Exists(Path.Combine(projectFolder, "host.json")));
        Assert.NotEqual("Never", (string?)hostJson.Attribute("CopyToPublishDirectory") ?? "Never");
    }

    [Fact]
    public void TheProjectRequiresAnAzdThatFillsThePrincipalTypeFromItsSignIn()
    {
        // azd 1.17.2 and later substitute AZURE_PRINCIPAL_TYPE in main.parameters.json from how they signed in (1.17.1
        // could not when delegating to az); an older one would leave a CI service principal's role assignments typed User.
        var range = Scalar(Mapping(Load(), "requiredVersions"), "azd");
        var minimum = MinimumVersion().Match(range);

        Assert.True(minimum.Success, $"requiredVersions.azd is '{range}'; expected a lower bound such as '>= 1.17.2'.");
        Assert.True(Version.Parse(minimum.Groups[1].Value) >= new Version(1, 17, 2), $"requiredVersions.azd '{range}' admits an azd that does not fill AZURE_PRINCIPAL_TYPE.");
    }

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(InfraFiles.Root, "azure.yaml"));
        yaml.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(yaml.Documents).RootNode);
    }

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
        Assert.IsType<YamlMappingNode>(node.Children[new YamlScalarNode(key)]);

    private static string Scalar(YamlMappingNode node, string key) =>
        Assert.IsType<YamlScalarNode>(node.Children[new YamlScalarNode(key)]).Value ?? "";

    [GeneratedRegex(@"^>=\s*(\d+\.\d+\.\d+)$")]
    private static partial Regex MinimumVersion();
}
