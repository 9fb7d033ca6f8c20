using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Webhooks.Model;

namespace Webhooks.Sending;

/// <summary>
/// Sends one delivery attempt: a POST with a timeout, no redirects, and the SSRF guard in the
/// connection. It never throws for what the endpoint does; every result is an outcome to record.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<SendingOptions> options, TimeProvider clock)
{
    public const string ClientName = "webhook-deliveries";

    /// <summary>The headers every request carries besides the caller's, as attempt records show them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> StandardHeaders =>
        [new("Content-Type", "application/json"), new("User-Agent", options.Value.UserAgent)];

    public async Task<SendResult> SendAsync(Uri url, byte[] body, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.ParseAdd(options.Value.UserAgent);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var responseBody = await ReadLimitedAsync(response, timeout.Token);
            var outcome = new AttemptOutcome((int)response.StatusCode, RetryAfter(response));
            return new SendResult(outcome, Stopwatch.GetElapsedTime(started), Headers(response), responseBody);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(AttemptOutcome.NoResponse($"Timed out after {options.Value.Timeout.TotalSeconds:0.#} s."), Stopwatch.GetElapsedTime(started), [], null);
        }
        catch (HttpRequestException e)
        {
            var outcome = FindRefusal(e) is { } refused ? AttemptOutcome.Refused(refused.Message) : AttemptOutcome.NoResponse(e.Message);
            return new SendResult(outcome, Stopwatch.GetElapsedTime(started), [], null);
        }
        catch (IOException e)
        {
            // A connection reset while the response body is read surfaces as a plain IOException.
            return new SendResult(AttemptOutcome.NoResponse(e.Message), Stopwatch.GetElapsedTime(started), [], null);
        }
    }

    private async Task<string?> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxResponseBodyBytes;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        // One byte past the limit tells whether the cut falls inside a character.
        var buffer = new byte[limit + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total, buffer.Length - total), cancellationToken)) > 0)
        {
            total += read;
        }
        var kept = Utf8Cut.Length(buffer.AsSpan(0, total), limit);
        return kept == 0 ? null : Encoding.UTF8.GetString(buffer, 0, kept);
    }

    /// <summary><c>Retry-After</c> as seconds or an HTTP date, relative to now.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        return header?.Date is { } date ? date - clock.GetUtcNow() : null;
    }

    private static KeyValuePair<string, string>[] Headers(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers)
            .Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value)))
            .ToArray();

    private static EndpointRefusedException? FindRefusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is EndpointRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }
}

/// <summary>What one send observed, for the decision and the attempt record.</summary>
public sealed record SendResult(AttemptOutcome Outcome, TimeSpan Duration, IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders, string? ResponseBody);
