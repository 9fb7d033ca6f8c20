using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sending;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Sending;

/// <summary>The sender against a real loopback endpoint: outcomes, no redirects, timeouts and the connect-time guard.</summary>
public sealed class WebhookSenderTests : IAsyncLifetime
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"event":"build_completed"}""");
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private static WebhookSender Sender(bool allowLoopback, TimeSpan? timeout = null, TimeProvider? clock = null, HostResolver? resolver = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock ?? TimeProvider.System);
        if (resolver is not null)
        {
            services.AddSingleton(resolver);
        }
        services.Configure<EndpointOptions>(o => o.AllowLoopback = allowLoopback);
        services.Configure<SendingOptions>(o => o.Timeout = timeout ?? TimeSpan.FromSeconds(15));
        services.AddWebhookSending();
        return services.BuildServiceProvider().GetRequiredService<WebhookSender>();
    }

    [Fact]
    public async Task ASuccessfulPostIsRecordedWithItsResponse()
    {
        receiver.Respond = async context =>
        {
            context.Response.StatusCode = 202;
            await context.Response.WriteAsync("thanks");
        };
        var result = await Sender(allowLoopback: true).SendAsync(receiver.Url, Body, [new("webhook-id", "dlv_1")], default);

        Assert.True(result.Outcome.IsSuccess);
        Assert.Equal(202, result.Outcome.StatusCode);
        Assert.Equal("thanks", result.ResponseBody);
        var received = Assert.Single(receiver.Received);
        Assert.Equal("""{"event":"build_completed"}""", received.Body);
        Assert.Equal("dlv_1", received.Headers["webhook-id"]);
        Assert.StartsWith("application/json", received.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.StartsWith("Webhook-Pipeline/", received.Headers["User-Agent"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedirectsAreNotFollowed()
    {
        receiver.Respond = context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "http://169.254.169.254/latest/meta-data";
            return Task.CompletedTask;
        };
        var result = await Sender(allowLoopback: true).SendAsync(receiver.Url, Body, [], default);
        Assert.Equal(302, result.Outcome.StatusCode);
        Assert.False(result.Outcome.IsSuccess);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task RetryAfterIsReadInSecondsAndAsADate()
    {
        receiver.Respond = context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "120";
            return Task.CompletedTask;
        };
        Assert.Equal(TimeSpan.FromSeconds(120), (await Sender(true).SendAsync(receiver.Url, Body, [], default)).Outcome.RetryAfter);

        // A date is read against the sender's clock, held still here, so the wait is exact however long the request takes.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        receiver.Respond = context =>
        {
            context.Response.StatusCode = 503;
            context.Response.Headers.RetryAfter = clock.GetUtcNow().AddMinutes(10).ToString("R");
            return Task.CompletedTask;
        };
        var delay = (await Sender(true, clock: clock).SendAsync(receiver.Url, Body, [], default)).Outcome.RetryAfter;
        Assert.Equal(TimeSpan.FromMinutes(10), delay);
    }

    [Fact]
    public async Task ASlowEndpointTimesOutAsNoResponse()
    {
        receiver.Respond = context => Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
        var result = await Sender(true, TimeSpan.FromMilliseconds(300)).SendAsync(receiver.Url, Body, [], default);
        Assert.Null(result.Outcome.StatusCode);
        Assert.Contains("Timed out", result.Outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoopbackIsRefusedAtConnectTimeEvenByName()
    {
        var sender = Sender(allowLoopback: false);
        var byAddress = await sender.SendAsync(receiver.Url, Body, [], default);
        // "localhost" is refused by the name rules before any lookup (see
        // ANameThatPassesTheNameRulesButResolvesToAForbiddenAddressIsRefusedAtConnectTime for the check of resolved addresses).
        var byName = await sender.SendAsync(new Uri($"http://localhost:{receiver.Url.Port}/hook"), Body, [], default);

        foreach (var result in new[] { byAddress, byName })
        {
            Assert.Null(result.Outcome.StatusCode);
            Assert.Contains("may not reach", result.Outcome.Error, StringComparison.Ordinal);
        }
        Assert.Empty(receiver.Received);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost.")]
    [InlineData("127.0.0.1.")]
    public async Task ARefusalSaysTheDestinationIsNotAllowedAndNamesNoAddress(string host)
    {
        var result = await Sender(allowLoopback: false).SendAsync(new Uri($"http://{host}:{receiver.Url.Port}/hook"), Body, [], default);

        Assert.Null(result.Outcome.StatusCode);
        Assert.StartsWith("Destination not allowed", result.Outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", result.Outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("::1", result.Outcome.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    /// <summary>
    /// The check of resolved addresses, the defence against names the rules cannot know (a public-looking
    /// name pointed at loopback or the metadata address, or rebound after the webhook was created).
    /// </summary>
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.169.254")]
    public async Task ANameThatPassesTheNameRulesButResolvesToAForbiddenAddressIsRefusedAtConnectTime(string address)
    {
        var resolver = new FixedResolver("hooks.example.com", IPAddress.Parse(address));
        var sender = Sender(allowLoopback: false, timeout: TimeSpan.FromSeconds(5), resolver: resolver);

        var result = await sender.SendAsync(new Uri($"http://hooks.example.com:{receiver.Url.Port}/hook"), Body, [], default);

        Assert.Equal(["hooks.example.com"], resolver.Asked);
        Assert.Null(result.Outcome.StatusCode);
        Assert.Equal(EndpointRefusedException.Reason, result.Outcome.Error);
        Assert.DoesNotContain(address, result.Outcome.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    /// <summary>Answers one name with one address, as a hostile or misconfigured DNS zone would.</summary>
    private sealed class FixedResolver(string name, IPAddress address) : HostResolver
    {
        public List<string> Asked { get; } = [];

        public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Asked.Add(host);
            return Task.FromResult(host == name ? new[] { address } : []);
        }
    }

    [Fact]
    public async Task DeliveryUrlsNeverReachTheLogs()
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.Configure<EndpointOptions>(o => o.AllowLoopback = true);
        services.AddWebhookSending();
        using var provider = services.BuildServiceProvider();

        var url = new Uri(receiver.Url, "/services/T000/B000/CHATTOKEN123");
        await provider.GetRequiredService<WebhookSender>().SendAsync(url, Body, [], default);

        var logs = provider.GetRequiredService<FakeLogCollector>().GetSnapshot();
        Assert.DoesNotContain(logs, l => l.Message.Contains("CHATTOKEN", StringComparison.Ordinal));
        Assert.Single(receiver.Received);
    }

    [Theory]
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://[fd00:ec2::254]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://metadata/computeMetadata/v1/")]
    [InlineData("http://instance-data./latest/meta-data")]
    public async Task EveryForbiddenDestinationClassIsRefusedWithoutConnecting(string url)
    {
        // Loopback allowed, as in development: everything else stays refused, internal names before any lookup.
        // A short timeout bounds what a regression of the guard could send.
        var result = await Sender(allowLoopback: true, TimeSpan.FromSeconds(1)).SendAsync(new Uri(url), Body, [], default);
        Assert.Null(result.Outcome.StatusCode);
        Assert.True(result.Outcome.DestinationRefused);
        Assert.StartsWith("Destination not allowed", result.Outcome.Error, StringComparison.Ordinal);
    }
}
