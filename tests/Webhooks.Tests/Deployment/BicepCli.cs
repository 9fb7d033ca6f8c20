using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace Webhooks.Tests.Deployment;

/// <summary>
/// The Bicep CLI from the NuGet package the test project downloads (Azure.Bicep.CommandLine.linux-x64):
/// its path comes from the assembly metadata the project writes. It runs fully offline.
/// </summary>
public static class BicepCli
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static string Path { get; } = Locate();

    private static readonly ConcurrentDictionary<string, Lazy<Task<BicepRun>>> Builds = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>bicep build</c> of one file to stdout, run once per test run however many checks read it: the files do
    /// not change while tests run, and every run of the CLI is a process that takes seconds of processor time.
    /// </summary>
    public static Task<BicepRun> BuildAsync(string path) =>
        Builds.GetOrAdd(path, p => new Lazy<Task<BicepRun>>(() => RunAsync("build", p, "--stdout", "--no-restore"))).Value;

    /// <summary>Runs <c>bicep</c> with <paramref name="arguments"/> and returns what it said.</summary>
    public static async Task<BicepRun> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Offline and quiet: no telemetry, no first-run banner.
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var bicep = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {Path}.");
        var stdout = bicep.StandardOutput.ReadToEndAsync();
        var stderr = bicep.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await bicep.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            bicep.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Limit}.");
        }
        return new BicepRun(bicep.ExitCode, await stdout, await stderr);
    }

    private static string Locate()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "BicepPath")?.Value
            ?? throw new InvalidOperationException("The test assembly carries no BicepPath metadata (see Webhooks.Tests.csproj).");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {path}: run dotnet restore (the project downloads Azure.Bicep.CommandLine.linux-x64).", path);
        }
        // NuGet does not keep the executable bit of files it extracts.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | execute);
            }
        }
        return path;
    }
}

/// <summary>One run of the CLI: exit code, and its two streams (diagnostics go to stderr, <c>--stdout</c> templates to stdout).</summary>
public sealed record BicepRun(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Environment.NewLine + Stderr;
}
