using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Webhooks.Standalone.LocalDevelopment;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.EndToEnd;

/// <summary>
/// The README's walkthrough, as a person follows it: the sample receiver (Node, verifying both
/// signature schemes), an event published from the command line with the sample file, and the
/// delivery in the receiver and in the history.
/// </summary>
[Collection(DeliveryStorageTests.Name)]
public sealed class ReadmeWalkthroughTests(AzuriteFixture storage)
{
    [Fact]
    public async Task ASampleEventPublishedFromTheCommandLineArrivesVerifiedInTheSampleReceiver()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var port = FreePort();
        var (webhook, secret) = await h.Api.CreateWebhookAsync(h.Org, $"http://127.0.0.1:{port}/", name: "sample receiver");
        var root = RepositoryRoot.Find();

        using var receiver = Start("node", root, [Path.Combine(root, "samples", "receiver", "receiver.mjs")], ("WEBHOOK_SECRET", secret), ("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await Eventually.HoldsAsync(() => receiver.Output.ToString().Contains("listening", StringComparison.Ordinal), "the sample receiver to listen", details: () => receiver.Output.ToString());

        using var publish = Start("dotnet", root, [Path.Combine(AppContext.BaseDirectory, "Webhooks.Standalone.dll"), "publish", Path.Combine(root, "samples", "events", "build-completed.json"), "--org", h.Org],
            ("Webhooks__Storage__ConnectionString", storage.ConnectionString), ("Webhooks__Storage__EventsQueue", h.App.EventsQueue), ("Webhooks__Secrets__AllowDevelopmentStore", "true"));
        await publish.Process.WaitForExitAsync();
        Assert.True(publish.Process.ExitCode == 0, publish.Output.ToString());
        Assert.Contains("Published event evt_", publish.Output.ToString(), StringComparison.Ordinal);
        Assert.Matches("traceparent 00-[0-9a-f]{32}-[0-9a-f]{16}-01", publish.Output.ToString());

        await Eventually.HoldsAsync(() => receiver.Output.ToString().Contains("verified build_completed dlv_", StringComparison.Ordinal), "the verified delivery in the receiver",
            details: () => receiver.Output + h.Problems());
        // The receiver prints the body in a second write after the verdict line: wait for it too.
        await Eventually.HoldsAsync(() => receiver.Output.ToString().Contains("Build 117 of my-app is ready for TestFlight.", StringComparison.Ordinal), "the delivered body in the receiver",
            details: () => receiver.Output.ToString());
        Assert.DoesNotContain("REFUSED", receiver.Output.ToString(), StringComparison.Ordinal);
        var history = await (await h.Api.GetAsync(Routes.Deliveries(h.Org, webhook))).ReadJsonAsync();
        Assert.Equal("build_completed", history.GetProperty("data")[0].GetProperty("eventType").GetString());
    }

    [Fact]
    public async Task TheSampleReceiverRefusesADeliverySignedWithAnotherSecret()
    {
        await using var h = await DeliveryHarness.StartAsync(storage);
        var port = FreePort();
        await h.Api.CreateWebhookAsync(h.Org, $"http://127.0.0.1:{port}/", name: "sample receiver");
        var root = RepositoryRoot.Find();
        using var receiver = Start("node", root, [Path.Combine(root, "samples", "receiver", "receiver.mjs")], ("WEBHOOK_SECRET", Webhooks.Secrets.SigningSecret.Generate()), ("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await Eventually.HoldsAsync(() => receiver.Output.ToString().Contains("listening", StringComparison.Ordinal), "the sample receiver to listen", details: () => receiver.Output.ToString());

        await h.PublishAsync(TestEvents.Envelope(h.Org));

        await Eventually.HoldsAsync(() => receiver.Output.ToString().Contains("REFUSED dlv_", StringComparison.Ordinal), "the receiver to refuse the delivery", details: () => receiver.Output.ToString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Child Start(string program, string directory, string[] arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var child = new Child(Process.Start(start)!);
        child.Process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child.Process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child.Process.BeginOutputReadLine();
        child.Process.BeginErrorReadLine();
        return child;
    }

    private sealed class Child(Process process) : IDisposable
    {
        private readonly StringBuilder output = new();

        public Process Process { get; } = process;

        public StringBuilder Output
        {
            get
            {
                lock (output)
                {
                    return new StringBuilder(output.ToString());
                }
            }
        }

        public void Append(string? line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }
            Process.Dispose();
        }
    }
}
