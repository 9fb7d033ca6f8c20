using System.Text;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.FunctionsHttp;

/// <summary>
/// Request bodies and query values are read strictly and alike by both hosts: JSON media types
/// only, UTF-8 only, no duplicate member names, and text that is not valid Unicode is a 400 naming
/// the field, never a 5xx and never stored.
/// </summary>
[Collection(FunctionsHttpStorageTests.Name)]
public sealed class StrictRequestParityTests(AzuriteFixture storage) : IAsyncLifetime
{
    private const string GoodUrl = "https://receiver.example.com/hooks";

    private ParityWorld w = null!;

    public Task InitializeAsync()
    {
        w = new ParityWorld(new PipelineApp(storage));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await w.DisposeAsync();

    [Theory]
    [InlineData("/webhooks", "application/jsonx")]
    [InlineData("/webhooks", "application/json-seq")]
    [InlineData("/webhooks", "application/json; charset=latin1")]
    [InlineData("/webhooks", "application/json; charset=utf-16")]
    [InlineData("/webhooks", "application/vnd.webhooks+json; charset=iso-8859-1")]
    [InlineData("/webhooks", "application/json/extra")]
    [InlineData("/events", "application/jsonx")]
    [InlineData("/events", "application/json; charset=utf-16")]
    public async Task AContentTypeThatIsNotUtf8JsonIsTheSame415(string path, string contentType)
    {
        var body = path == "/events" ? TestEvents.Envelope(w.Org).ToJsonString() : """{"name":"","url":"https://receiver.example.com/hooks"}""";

        var answer = await w.AssertBothAnswerAlikeAsync(new ApiRequest("POST", $"{Routes.Organization(w.Org)}{path}", Encoding.UTF8.GetBytes(body), contentType));

        Assert.Equal(415, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Empty(w.Functions.Durable.Scheduled);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; Charset=\"UTF-8\"")]
    [InlineData("application/problem+json")]
    public async Task Utf8JsonUnderAnyJsonMediaTypeIsRead(string contentType)
    {
        var answer = await w.AssertBothAnswerAlikeAsync(new ApiRequest("POST", w.Webhooks, Encoding.UTF8.GetBytes("""{"name":"","url":"https://receiver.example.com/hooks"}"""), contentType));

        Assert.Equal(400, answer.Status);
        Assert.NotNull(answer.Json!["errors"]!["name"]);
    }

    [Theory]
    [InlineData("""{"name":"first","name":"second","url":"https://receiver.example.com/hooks"}""", "name")]
    [InlineData("""{"name":"n","url":"https://receiver.example.com/hooks","projects":{"include":["a"],"include":["b"]}}""", "projects.include")]
    public async Task ADuplicateMemberIsTheSame400NamingIt(string body, string field)
    {
        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("POST", w.Webhooks, body));

        Assert.Equal(400, answer.Status);
        Assert.NotNull(answer.Json!["errors"]![field]);
        Assert.Empty((await w.Standalone.SendAsync(ApiRequest.Get(w.Webhooks))).Json!["data"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"name":"a\ud800b","url":"https://receiver.example.com/hooks"}""", "name")]
    [InlineData("""{"name":"a\udc00","url":"https://receiver.example.com/hooks"}""", "name")]
    [InlineData("""{"name":"n","url":"https://receiver.example.com/\ud800"}""", "url")]
    [InlineData("""{"name":"n","url":"https://receiver.example.com/hooks","projects":{"include":["ok","\ud800"]}}""", "projects.include[1]")]
    [InlineData("""{"name":"n","url":"https://receiver.example.com/hooks","\ud800":1}""", "body")]
    [InlineData("""{"name":"n","url":"https://receiver.example.com/hooks","projects":{"\udfff":[]}}""", "projects")]
    public async Task ALoneSurrogateInABodyIsTheSame400NamingTheField(string body, string field)
    {
        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("POST", w.Webhooks, body));

        Assert.Equal(400, answer.Status);
        Assert.True(answer.Json!["errors"]![field] is not null, answer.Body);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, "name")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "name")]
    [InlineData(new byte[] { 0xC3 }, "name")]
    public async Task InvalidUtf8InABodyIsTheSame400NamingTheField(byte[] bad, string field)
    {
        var body = Encoding.UTF8.GetBytes("""{"name":"a""").Concat(bad).Concat(Encoding.UTF8.GetBytes("""b","url":"https://receiver.example.com/hooks"}""")).ToArray();

        var answer = await w.AssertBothAnswerAlikeAsync(new ApiRequest("POST", w.Webhooks, body, "application/json"));

        Assert.Equal(400, answer.Status);
        Assert.True(answer.Json!["errors"]![field] is not null, answer.Body);
    }

    [Fact]
    public async Task InvalidUtf8InAMemberNameIsA400()
    {
        var body = Encoding.UTF8.GetBytes("""{"name":"n","url":"https://receiver.example.com/hooks","x""").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\":1}")).ToArray();

        var answer = await w.AssertBothAnswerAlikeAsync(new ApiRequest("POST", w.Webhooks, body, "application/json"));

        Assert.Equal(400, answer.Status);
        Assert.True(answer.Json!["errors"]!["body"] is not null, answer.Body);
    }

    [Fact]
    public async Task AnUnknownMemberWithAHugeNameIsTheSame400QuotingOnlyItsStart()
    {
        var name = new string('u', 60_000);

        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("POST", w.Webhooks, $$"""{"name":"n","url":"https://receiver.example.com/hooks","{{name}}":1}"""));

        Assert.Equal(400, answer.Status);
        Assert.True(answer.Body.Length < 4096, $"{answer.Body.Length} characters: {answer.Body[..Math.Min(answer.Body.Length, 500)]}");
        var field = Assert.Single(answer.Json!["errors"]!.AsObject()).Key;
        Assert.StartsWith("uuuu", field, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALoneSurrogateInAPatchIsTheSame400AndChangesNothing()
    {
        var id = (await w.Standalone.CreateWebhookAsync(w.Org, name: "original")).Id;

        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Json("PATCH", $"{w.Webhooks}/{id}", """{"name":"\ud800"}"""));

        Assert.Equal(400, answer.Status);
        Assert.NotNull(answer.Json!["errors"]!["name"]);
        Assert.Equal("original", (await w.Standalone.SendAsync(ApiRequest.Get($"{w.Webhooks}/{id}"))).Text("name"));
    }

    [Theory]
    [InlineData("/webhooks?pageToken=%ED%A0%80", "pageToken")]
    [InlineData("/webhooks?limit=%FF", "limit")]
    [InlineData("/webhooks/{webhook}/deliveries?eventType=build%ED%A0%80", "eventType")]
    [InlineData("/webhooks/{webhook}/deliveries?eventType=%FF", "eventType")]
    [InlineData("/webhooks/{webhook}/deliveries?status=%FF", "status")]
    [InlineData("/webhooks/{webhook}/deliveries?pageToken=%FF", "pageToken")]
    public async Task AQueryValueThatIsNotUtf8IsTheSame400NamingIt(string pathAndQuery, string field)
    {
        var webhook = (await w.Standalone.CreateWebhookAsync(w.Org)).Id;

        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Get($"{Routes.Organization(w.Org)}{pathAndQuery.Replace("{webhook}", webhook, StringComparison.Ordinal)}"));

        Assert.Equal(400, answer.Status);
        var messages = answer.Json!["errors"]![field]!.AsArray();
        Assert.Contains(messages, m => m!.GetValue<string>().Contains("UTF-8", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARecoverSinceThatIsNotUtf8IsTheSame400AndStartsNothing()
    {
        var webhook = (await w.Standalone.CreateWebhookAsync(w.Org)).Id;

        var answer = await w.AssertBothAnswerAlikeAsync(ApiRequest.Post($"{w.Webhooks}/{webhook}/recover?since=2026-01-01%ED%A0%80"));

        Assert.Equal(400, answer.Status);
        Assert.Contains(answer.Json!["errors"]!["since"]!.AsArray(), m => m!.GetValue<string>().Contains("UTF-8", StringComparison.Ordinal));
        Assert.Empty(w.Functions.Durable.Scheduled);
    }
}
