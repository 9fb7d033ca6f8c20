using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Logging;
using Webhooks.Tests.FunctionsHttp;
using Webhooks.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.Tests.Fuzz;

/// <summary>
/// A bounded fuzz run in CI: a few thousand generated hostile requests (<see cref="FuzzedRequests"/>)
/// against both hosts. None may answer 5xx, log an error, or show internals: a stack trace, a type or
/// namespace name, a storage connection detail, or a secret.
/// </summary>
[Collection(ManagementStorageTests.Name)]
[Trait("Category", "Slow")]
public sealed partial class ApiFuzzTests(AzuriteFixture storage, ITestOutputHelper output)
{
    /// <summary>Requests per run; the seed is fixed so a failure reproduces, and printed so a different seed can be tried locally.</summary>
    private const int Requests = 2_000;

    [Fact]
    public async Task NoGeneratedRequestGetsA5xxOrShowsInternals()
    {
        // Over a real socket: Kestrel, not the in-memory test server, decides what a malformed request line gets.
        var app = new PipelineApp(storage, settings: new Dictionary<string, string?>
        {
            ["Webhooks:Driver:Enabled"] = "false",
            // Every generated event reaches the reader: the rate limit has tests of its own.
            ["Webhooks:Quotas:EventBurstPerOrganization"] = "100000",
            // A portal session's link is on the caller's own host unless a public URL is set; here that host is a loopback port, which the check below reads as a leak.
            ["Webhooks:Portal:PublicUrl"] = "https://webhooks.example.com",
        });
        app.UseKestrel(0);
        app.StartServer();
        await using var world = new ParityWorld(app);
        var webhook = await world.Standalone.CreateWebhookAsync(world.Org);
        var secret = webhook.Secret!;
        var seed = ulong.Parse(Environment.GetEnvironmentVariable("WEBHOOKS_FUZZ_SEED") ?? "20261202", System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"seed {seed} (set WEBHOOKS_FUZZ_SEED to try another)");
        var requests = FuzzedRequests.For(world.Org, webhook.Id).Sample(Requests, new Rnd(seed), size: 30);

        var findings = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var functionsAnswered = 0;
        foreach (var request in requests)
        {
            var answer = await AnswerOrServerErrorAsync(() => world.Standalone.SendAsync(request));
            Check("standalone", request, answer, secret, findings);
            statuses[answer.Status] = statuses.GetValueOrDefault(answer.Status) + 1;
            if (FunctionsHttpHost.Serves(request))
            {
                Check("functions", request, await AnswerOrServerErrorAsync(() => world.Functions.SendAsync(request)), secret, findings);
                functionsAnswered++;
            }
        }
        var errors = world.App.Logs.GetSnapshot().Where(r => r.Level >= LogLevel.Error).Select(r => $"logged {r.Level}: {r.Message}").Take(5);
        findings.AddRange(errors);

        output.WriteLine($"{requests.Length} requests; the Functions app took {functionsAnswered}; statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(findings.Count == 0, string.Join("\n\n", findings.Take(10)));
        // The run must have reached the handlers, not only routing: some requests are refused as bad input, some succeed.
        Assert.Contains(400, statuses.Keys);
        Assert.True(statuses.Keys.Any(s => s is >= 200 and < 300), "no generated request succeeded");
        Assert.True(functionsAnswered > Requests / 4, $"the Functions app took only {functionsAnswered} requests");
    }

    /// <summary>An exception out of a function is what the Functions host turns into a 500; a dropped connection is no answer at all.</summary>
    private static async Task<ApiAnswer> AnswerOrServerErrorAsync(Func<Task<ApiAnswer>> send)
    {
        try
        {
            return await send();
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            return new ApiAnswer(500, null, null, null, $"unhandled: {e.GetType().Name}: {e.Message}");
        }
    }

    private static void Check(string host, ApiRequest request, ApiAnswer answer, string secret, List<string> findings)
    {
        var problems = new List<string>();
        if (answer.Status >= 500)
        {
            problems.Add($"status {answer.Status}");
        }
        if (Internals().Match(answer.Body) is { Success: true } leak)
        {
            problems.Add($"shows internals: '{leak.Value}'");
        }
        if (answer.Body.Contains(secret, StringComparison.Ordinal))
        {
            problems.Add("shows the webhook's signing secret");
        }
        if (answer.Status >= 400 && answer.Body.Length > 0 && answer.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
        {
            problems.Add($"an error that is not problem+json ({answer.ContentType})");
        }
        if (problems.Count > 0)
        {
            var body = request.Body is null ? "no body" : $"{request.Body.Length} bytes: {Convert.ToHexString(request.Body.AsSpan(0, Math.Min(request.Body.Length, 80)))}";
            findings.Add($"{host}: {request.Method} {Excerpt(request.PathAndQuery)} ({request.ContentType ?? "no content type"}; {body}) → {string.Join("; ", problems)}\n{Excerpt(answer.Body)}");
        }
    }

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>What an answer must never show: a stack frame, an exception or framework type name, or a storage connection detail.</summary>
    [GeneratedRegex(@"\bat [\w.]+\(|Exception\b|\bSystem\.\w|\bMicrosoft\.\w|\bAzure\.\w|\bWebhooks\.\w|AccountKey|DefaultEndpointsProtocol|devstoreaccount1|127\.0\.0\.1:\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Internals();
}
