using System.Text.Json;
using System.Text.RegularExpressions;

namespace Webhooks.Tests.Deployment;

/// <summary>
/// The principal running <c>azd up</c>, a person or a CI service principal, gets data roles. Azure refuses a role
/// assignment whose principalType is not the principal's, so the type must come from azd (which knows how it signed
/// in) all the way down to every assignment for that principal, never a literal 'User'.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class DeployingPrincipalTests
{
    [Fact]
    public async Task AzdFillsThePrincipalIdAndTypeAndMainAcceptsEveryTypeAzdGives()
    {
        using var parametersFile = JsonDocument.Parse(await File.ReadAllTextAsync(InfraFiles.Full("infra/main.parameters.json")));
        var given = parametersFile.RootElement.GetProperty("parameters");
        using var template = await ArmTemplates.BuildAsync("infra/main.bicep");
        var principalType = template.RootElement.GetProperty("parameters").GetProperty("principalType");

        Assert.Equal("${AZURE_PRINCIPAL_ID}", given.GetProperty("principalId").GetProperty("value").GetString());
        // azd substitutes its own value for this name (no default is needed, and none would ever apply).
        Assert.Equal("${AZURE_PRINCIPAL_TYPE}", given.GetProperty("principalType").GetProperty("value").GetString());
        // The two values azd gives (User; ServicePrincipal when signed in with a client id), and nothing a role assignment refuses.
        var allowed = principalType.GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "User", "ServicePrincipal" }, allowed);
        Assert.Subset(new HashSet<string?> { "User", "ServicePrincipal", "Group", "ForeignGroup", "Device" }, allowed);
    }

    [Fact]
    public async Task EveryRoleAssignmentForTheDeployingPrincipalTakesItsTypeFromThePrincipalTypeParameter()
    {
        using var template = await ArmTemplates.BuildAsync("infra/main.bicep");
        var assignments = new List<Assignment>();
        Collect(template.RootElement, "main", ["principalId"], ["principalType"], assignments);

        var forDeployer = assignments.Where(a => a.ForDeployer).ToList();
        Assert.True(forDeployer.Count > 0, "No role assignment is made for principalId: the deploying principal gets no data roles.");
        Assert.All(forDeployer, a => Assert.True(a.TypeFromParameter,
            $"{a.Where}: the role assignment for the deploying principal has principalType {a.PrincipalType}, not the principalType parameter azd fills."));
        // Assignments for anyone else are for the app's managed identity, which is a service principal.
        Assert.All(assignments.Where(a => !a.ForDeployer), a => Assert.True(a.PrincipalType == "ServicePrincipal",
            $"{a.Where}: a role assignment not for the deploying principal has principalType {a.PrincipalType}."));
    }

    private sealed record Assignment(string Where, bool ForDeployer, bool TypeFromParameter, string PrincipalType);

    /// <summary>
    /// Every role assignment in <paramref name="template"/> and the templates it deploys, following the deploying
    /// principal's id and type through the parameters each nested deployment is given.
    /// </summary>
    private static void Collect(JsonElement template, string where, HashSet<string> idParameters, HashSet<string> typeParameters, List<Assignment> found)
    {
        foreach (var resource in ArmTemplates.Resources(template))
        {
            var type = resource.GetProperty("type").GetString();
            // Existing resources (language version 2.0) are listed without properties: nothing is deployed for them.
            if (!resource.TryGetProperty("properties", out var properties))
            {
                continue;
            }
            if (type == "Microsoft.Authorization/roleAssignments")
            {
                var principalId = properties.GetProperty("principalId").GetString()!;
                var principalType = properties.TryGetProperty("principalType", out var t) ? t.GetString()! : "(none)";
                found.Add(new Assignment(
                    $"{where}: {resource.GetProperty("name").GetString()}",
                    ParameterReference(principalId) is { } id && idParameters.Contains(id),
                    ParameterReference(principalType) is { } typeName && typeParameters.Contains(typeName),
                    principalType));
            }
            else if (type == "Microsoft.Resources/deployments" && properties.TryGetProperty("template", out var nested))
            {
                var passed = properties.TryGetProperty("parameters", out var p) ? p.EnumerateObject().ToList() : new List<JsonProperty>();
                HashSet<string> Passing(HashSet<string> outer) =>
                    [.. passed.Where(x => x.Value.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String && ParameterReference(v.GetString()!) is { } name && outer.Contains(name)).Select(x => x.Name)];
                Collect(nested, $"{where} > {resource.GetProperty("name").GetString()}", Passing(idParameters), Passing(typeParameters), found);
            }
        }
    }

    private static string? ParameterReference(string expression) => ParameterPattern().Match(expression) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParameterPattern();
}
