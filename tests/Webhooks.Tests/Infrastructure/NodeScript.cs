using System.Diagnostics;
using Webhooks.Standalone.LocalDevelopment;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Runs a Node script from the repository root (so the pinned npm packages resolve) and returns what it printed.</summary>
public static class NodeScript
{
    public static async Task<string> RunAsync(string script, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = RepositoryRoot.Find(), RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(script);
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, $"node failed: {error}");
        return output.Trim();
    }
}
