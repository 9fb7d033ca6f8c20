using Webhooks.Standalone.LocalDevelopment;

namespace Webhooks.Tests.Deployment;

/// <summary>Where the deployment's files are: <c>azure.yaml</c> at the root, Bicep under <c>infra/</c>.</summary>
public static class InfraFiles
{
    public static string Root => RepositoryRoot.Find();

    public static string InfraFolder => System.IO.Path.Combine(Root, "infra");

    /// <summary>Every .bicep file under infra/, as paths relative to the repository root with '/' separators.</summary>
    public static IReadOnlyList<string> BicepFiles() =>
        Directory.EnumerateFiles(InfraFolder, "*.bicep", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string Full(string relative) => System.IO.Path.Combine(Root, relative);
}
