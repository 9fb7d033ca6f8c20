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

    private static readonly Lazy<Task<BicepBatch>> Build = new(() => RunOverInfraAsync("build", "--outdir"));
    private static readonly Lazy<Task<BicepBatch>> Lint = new(() => RunOverInfraAsync("lint"));

    /// <summary>
    /// <c>bicep build</c> of every file under infra/ in one run of the CLI, made once per test run however many checks
    /// read it: the files do not change while tests run, and every run of the CLI takes seconds of processor time
    /// (one run per file and command was about a minute of it).
    /// </summary>
    public static Task<BicepBatch> BuildInfraAsync() => Build.Value;

    /// <summary><c>bicep lint</c> of every file under infra/ in one run of the CLI.</summary>
    public static Task<BicepBatch> LintInfraAsync() => Lint.Value;

    private static async Task<BicepBatch> RunOverInfraAsync(string command, string? outputOption = null)
    {
        var output = outputOption is null ? null : Directory.CreateTempSubdirectory("bicep-").FullName;
        // --no-restore: nothing is fetched from a registry, so a registry module cannot build here either.
        string[] arguments = outputOption is null
            ? [command, "--pattern", "**/*.bicep", "--no-restore"]
            : [command, "--pattern", "**/*.bicep", "--no-restore", outputOption, output!];
        return new BicepBatch(await RunAsync(InfraFiles.InfraFolder, arguments), InfraFiles.InfraFolder, output);
    }

    /// <summary>Runs <c>bicep</c> with <paramref name="arguments"/> and returns what it said.</summary>
    public static async Task<BicepRun> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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

/// <summary>
/// One run of the CLI over every file under infra/: its diagnostics, which start with the file's full path, read per
/// file, and for a build the ARM JSON it wrote for each file (the folder layout of infra/ kept under the output folder).
/// </summary>
public sealed record BicepBatch(BicepRun Run, string InfraFolder, string? OutputFolder)
{
    /// <summary>The warnings and errors reported in <paramref name="file"/> (a path relative to the repository root).</summary>
    public IReadOnlyList<string> Findings(string file)
    {
        var prefix = System.IO.Path.Combine(InfraFolder, Relative(file)) + "(";
        return [.. Diagnostics().Where(line => line.StartsWith(prefix, StringComparison.Ordinal))];
    }

    /// <summary>Every warning or error line, whatever file it is in.</summary>
    public IReadOnlyList<string> Diagnostics() =>
        [.. Run.Output.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Contains(" : Warning ", StringComparison.Ordinal) || line.Contains(" : Error ", StringComparison.Ordinal))];

    /// <summary>The ARM JSON built from <paramref name="file"/>, or null when the build wrote none.</summary>
    public string? Template(string file)
    {
        var json = System.IO.Path.Combine(OutputFolder ?? throw new InvalidOperationException("Only a build writes templates."), System.IO.Path.ChangeExtension(Relative(file), ".json"));
        return File.Exists(json) ? File.ReadAllText(json) : null;
    }

    private static string Relative(string file) => file.StartsWith("infra/", StringComparison.Ordinal) ? file["infra/".Length..] : file;
}
