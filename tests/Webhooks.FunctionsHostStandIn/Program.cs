namespace Webhooks.FunctionsHostStandIn;

/// <summary>The stand-in as a process, for tests that kill it and for the benchmark: settings come from the environment.</summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        await using var app = StandInHost.Build(args);
        await app.RunAsync();
    }
}
