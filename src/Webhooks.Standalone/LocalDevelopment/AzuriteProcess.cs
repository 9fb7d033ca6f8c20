using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Webhooks.Standalone.LocalDevelopment;

/// <summary>
/// Azurite, started from the repository's pinned npm package on free ports. The local run uses it
/// with a data folder; tests and benchmarks use it too. Stopping kills only the process it started.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process process;

    private AzuriteProcess(Process process, int blobPort, int queuePort, int tablePort)
    {
        this.process = process;
        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            $"AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    /// <summary>A connection string for the running instance's three services.</summary>
    public string ConnectionString { get; }

    /// <summary>The processor time Azurite has used so far: it is single-threaded, so one core bounds what it serves.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Starts Azurite and waits until all three services listen. <paramref name="dataFolder"/>
    /// null keeps data in memory (fine for small volumes; it stalls beyond a few thousand messages).
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(string? dataFolder, CancellationToken cancellationToken = default)
    {
        var root = RepositoryRoot.Find();
        var binary = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"Azurite is not installed at {binary}: run 'npm ci' in {root} first.");
        }
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var argument in Arguments(dataFolder))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        var ports = new Dictionary<string, int>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"Azurite exited before it was ready: {output}"));
                return;
            }
            lock (ports)
            {
                output.AppendLine(e.Data);
                if (ListeningLine().Match(e.Data) is { Success: true } match)
                {
                    ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (ports.Count == 3)
                    {
                        ready.TrySetResult();
                    }
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (ports)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            Kill(process);
            throw;
        }
        return new AzuriteProcess(process, ports["Blob"], ports["Queue"], ports["Table"]);
    }

    private static IEnumerable<string> Arguments(string? dataFolder)
    {
        if (dataFolder is null)
        {
            yield return "--inMemoryPersistence";
        }
        else
        {
            Directory.CreateDirectory(dataFolder);
            yield return "--location";
            yield return dataFolder;
        }
        // Newer SDKs send API versions Azurite does not know yet; --loose accepts headers it ignores.
        foreach (var flag in new[] { "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1", "--blobPort", "0", "--queuePort", "0", "--tablePort", "0" })
        {
            yield return flag;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process.HasExited)
        {
            process.Dispose();
            return;
        }
        // SIGTERM lets it close its files; a stuck one is killed after a grace period.
        _ = SendTerm(process.Id);
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
        }
        process.Dispose();
    }

    private static bool SendTerm(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode == 0;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    [GeneratedRegex(@"^Azurite (Blob|Queue|Table) service is (?:successfully )?listening at http://[^:]+:(\d+)")]
    private static partial Regex ListeningLine();
}
