using System.Text;
using Webhooks.Storage;

namespace Webhooks.Tests.Storage;

/// <summary>Queue message bodies: written as base64, read as base64 or plain JSON, anything else handed on unchanged.</summary>
public sealed class QueueMessageTextTests
{
    [Fact]
    public void Base64RoundTripsTheExactBytes()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"evt_1","message":"Grüße ✅ 🚀"}""");

        var text = QueueMessageText.Encode(body);

        Assert.Equal(Convert.ToBase64String(body), text);
        Assert.Equal(body, QueueMessageText.Decode(text));
    }

    [Theory]
    [InlineData("""{"id":"evt_1"}""")]
    [InlineData("""  {"id":"evt_1"}  """)]
    [InlineData("""[1,2,3]""")]
    public void PlainJsonPassesThrough(string json)
    {
        Assert.Equal(Encoding.UTF8.GetBytes(json), QueueMessageText.Decode(json));
    }

    [Fact]
    public void Base64WithSurroundingWhitespaceIsDecoded()
    {
        var body = Encoding.UTF8.GetBytes("""{"a":1}""");

        Assert.Equal(body, QueueMessageText.Decode($"  {Convert.ToBase64String(body)}\n"));
    }

    [Theory]
    [InlineData("not a message!")]
    [InlineData("<xml/>")]
    [InlineData("abc")]
    [InlineData("ü-ünïcode")]
    public void TextThatIsNeitherBase64NorJsonPassesThroughUnchanged(string garbage)
    {
        Assert.Equal(Encoding.UTF8.GetBytes(garbage), QueueMessageText.Decode(garbage));
    }

    [Fact]
    public void AnEmptyMessageDecodesToNothing()
    {
        Assert.Empty(QueueMessageText.Decode(""));
    }
}
