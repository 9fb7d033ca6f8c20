using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;

namespace Webhooks.Storage;

/// <summary>
/// The rows of a webhook's history partition. A delivery has a main row (<c>d|{id}</c>: state and
/// the stored event), a listing row (<c>n|{inverted creation time}|{id}</c>, so a plain range query
/// reads newest first) and one row per attempt (<c>d|{id}|a|{number}</c>, so the delivery and its
/// attempts are one range query). All of them change together in one batch.
/// </summary>
internal static class DeliveryRows
{
    public const string MainPrefix = "d|";
    public const string ListingPrefix = "n|";

    // Table Storage caps a binary property at 64 KiB and a string at 32 K characters.
    private const int MaxBinaryBytes = 60 * 1024;
    private const int MaxTextChars = 16 * 1024;

    public static string MainKey(string deliveryId) => MainPrefix + deliveryId;

    public static string ListingKey(DateTimeOffset createdAt, string deliveryId) =>
        $"{ListingPrefix}{DateTimeOffset.MaxValue.UtcTicks - createdAt.UtcTicks:D19}|{deliveryId}";

    /// <summary>The listing key range for deliveries created at or after <paramref name="since"/>.</summary>
    public static string ListingKeyBound(DateTimeOffset since) =>
        $"{ListingPrefix}{DateTimeOffset.MaxValue.UtcTicks - since.UtcTicks:D19}}}";

    public static string AttemptKey(string deliveryId, int number) =>
        $"{MainPrefix}{deliveryId}|a|{number.ToString("D5", CultureInfo.InvariantCulture)}";

    public static string AttemptsTo(string deliveryId) => $"{MainPrefix}{deliveryId}|a}}";

    public static TableEntity Main(DeliveryRecord d)
    {
        var row = Summary(d, MainKey(d.DeliveryId));
        row["Run"] = d.Run;
        row["RunAttempt"] = d.RunAttempt;
        row["RunStartedAt"] = d.RunStartedAt;
        row["LeaseOwner"] = d.LeaseOwner;
        row["LeaseUntil"] = d.LeaseUntil;
        row["ScheduledBy"] = d.ScheduledBy;
        row["Event"] = d.Event;
        row["EnqueuedAt"] = d.EnqueuedAt;
        return row;
    }

    public static TableEntity Listing(DeliveryRecord d) => Summary(d, ListingKey(d.CreatedAt, d.DeliveryId));

    private static TableEntity Summary(DeliveryRecord d, string rowKey) =>
        new(DeliveryStore.PartitionOf(d.OrganizationId, d.WebhookId), rowKey)
        {
            ["DeliveryId"] = d.DeliveryId,
            ["EventId"] = d.EventId,
            ["EventType"] = d.EventType,
            ["Status"] = d.Status.ToString(),
            ["AttemptCount"] = d.AttemptCount,
            ["LastStatusCode"] = d.LastStatusCode,
            ["LastDurationMs"] = d.LastDuration?.TotalMilliseconds,
            ["FailureReason"] = d.FailureReason,
            ["CreatedAt"] = d.CreatedAt,
            ["FinishedAt"] = d.FinishedAt,
            ["NextAttemptAt"] = d.NextAttemptAt,
        };

    /// <summary>Reads a main or listing row (listing rows leave the driver's columns empty).</summary>
    public static DeliveryRecord FromRow(TableEntity row)
    {
        var partition = row.PartitionKey;
        var split = partition.IndexOf('|', StringComparison.Ordinal);
        return new DeliveryRecord
        {
            OrganizationId = partition[..split],
            WebhookId = partition[(split + 1)..],
            DeliveryId = row.GetString("DeliveryId") ?? "",
            EventId = row.GetString("EventId") ?? "",
            EventType = row.GetString("EventType") ?? "",
            Status = Enum.TryParse<DeliveryStatus>(row.GetString("Status"), out var status) ? status : DeliveryStatus.Pending,
            AttemptCount = row.GetInt32("AttemptCount") ?? 0,
            LastStatusCode = row.GetInt32("LastStatusCode"),
            LastDuration = row.GetDouble("LastDurationMs") is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            FailureReason = row.GetString("FailureReason"),
            CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? row.Timestamp ?? DateTimeOffset.MinValue,
            FinishedAt = row.GetDateTimeOffset("FinishedAt"),
            NextAttemptAt = row.GetDateTimeOffset("NextAttemptAt"),
            Run = row.GetInt32("Run") ?? 1,
            RunAttempt = row.GetInt32("RunAttempt") ?? 0,
            RunStartedAt = row.GetDateTimeOffset("RunStartedAt") ?? row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            LeaseOwner = row.GetString("LeaseOwner"),
            LeaseUntil = row.GetDateTimeOffset("LeaseUntil"),
            ScheduledBy = row.GetString("ScheduledBy"),
            Event = row.GetBinary("Event"),
            EnqueuedAt = row.GetDateTimeOffset("EnqueuedAt"),
            ETag = row.ETag.ToString(),
        };
    }

    public static TableEntity Attempt(DeliveryKey key, AttemptRecord a) =>
        new(DeliveryStore.PartitionOf(key.OrganizationId, key.WebhookId), AttemptKey(key.DeliveryId, a.Number))
        {
            ["Number"] = a.Number,
            ["Run"] = a.Run,
            ["RunAttempt"] = a.RunAttempt,
            ["AttemptedAt"] = a.AttemptedAt,
            ["DurationMs"] = a.Duration.TotalMilliseconds,
            ["Url"] = a.Url,
            ["RequestHeaders"] = Cut(JsonSerializer.Serialize(a.RequestHeaders)),
            ["RequestBody"] = Utf8(a.RequestBody),
            ["ResponseStatus"] = a.ResponseStatus,
            ["ResponseHeaders"] = Cut(JsonSerializer.Serialize(a.ResponseHeaders)),
            ["ResponseBody"] = a.ResponseBody is null ? null : Utf8(a.ResponseBody),
            ["Error"] = a.Error is null ? null : Cut(a.Error),
        };

    public static AttemptRecord AttemptFromRow(TableEntity row) => new()
    {
        Number = row.GetInt32("Number") ?? 0,
        Run = row.GetInt32("Run") ?? 1,
        RunAttempt = row.GetInt32("RunAttempt") ?? 0,
        AttemptedAt = row.GetDateTimeOffset("AttemptedAt") ?? DateTimeOffset.MinValue,
        Duration = TimeSpan.FromMilliseconds(row.GetDouble("DurationMs") ?? 0),
        Url = row.GetString("Url") ?? "",
        RequestHeaders = Headers(row.GetString("RequestHeaders")),
        RequestBody = row.GetBinary("RequestBody") is { } body ? Encoding.UTF8.GetString(body) : "",
        ResponseStatus = row.GetInt32("ResponseStatus"),
        ResponseHeaders = Headers(row.GetString("ResponseHeaders")),
        ResponseBody = row.GetBinary("ResponseBody") is { } response ? Encoding.UTF8.GetString(response) : null,
        Error = row.GetString("Error"),
    };

    private static KeyValuePair<string, string>[] Headers(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }
        try
        {
            return JsonSerializer.Deserialize<KeyValuePair<string, string>[]>(json) ?? [];
        }
        catch (JsonException)
        {
            // A header list cut at the column limit is no longer JSON; the attempt is still worth showing.
            return [new("(truncated)", json)];
        }
    }

    private static string Cut(string text) => Model.TextCut.Bounded(text, MaxTextChars);

    /// <summary>UTF-8 bytes of <paramref name="text"/>, cut on a character boundary to fit a binary column.</summary>
    private static byte[] Utf8(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= MaxBinaryBytes)
        {
            return bytes;
        }
        var marker = Encoding.UTF8.GetBytes(Model.TextCut.Marker);
        var end = Model.Utf8Cut.Length(bytes, MaxBinaryBytes - marker.Length);
        return [.. bytes.AsSpan(0, end), .. marker];
    }
}
