using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Webhooks.Model;

namespace Webhooks.Storage;

/// <summary>
/// Maps a <see cref="Webhook"/> to its table row: partition = organization, row = webhook id.
/// Lists are stored as JSON text; no column ever holds a secret value.
/// </summary>
internal static class WebhookRows
{
    public const string LastTriggeredAt = "LastTriggeredAt";
    public const string LastStatusCode = "LastStatusCode";
    public const string LastSuccessAt = "LastSuccessAt";

    // Table Storage has no null to merge: 0 stands for "no response" and reads back as null.
    private const int NoResponse = 0;

    /// <summary>The columns an activity write-back compares against.</summary>
    public static readonly IReadOnlyList<string> ActivityColumns = [LastTriggeredAt, LastSuccessAt];

    public static TableEntity ToRow(Webhook webhook) => new(webhook.OrganizationId, webhook.Id)
    {
        ["Name"] = webhook.Name,
        ["Type"] = WireNames.Of(webhook.Type),
        ["TeamsFlavor"] = webhook.TeamsFlavor is { } flavor ? WireNames.Of(flavor) : null,
        ["Url"] = webhook.Url,
        ["DisplayUrl"] = webhook.DisplayUrl,
        ["Events"] = JsonSerializer.Serialize(webhook.Events.ToWire()),
        ["ProjectFilterMode"] = webhook.Projects.Mode.ToString(),
        ["ProjectFilterNames"] = JsonSerializer.Serialize(webhook.Projects.Projects),
        ["RateLimit"] = webhook.RateLimit,
        ["TraceContext"] = webhook.TraceContext,
        ["Enabled"] = webhook.Enabled,
        ["CreatedAt"] = webhook.CreatedAt,
        ["UpdatedAt"] = webhook.UpdatedAt,
        [LastTriggeredAt] = webhook.LastTriggeredAt,
        [LastStatusCode] = webhook.LastStatusCode,
        [LastSuccessAt] = webhook.LastSuccessAt,
        ["FailingSince"] = webhook.FailingSince,
        ["DisabledReason"] = webhook.DisabledReason,
        ["DisabledAt"] = webhook.DisabledAt,
        ["SigningVersion"] = webhook.Secrets.SigningVersion,
        ["RetiredSigningVersions"] = JsonSerializer.Serialize(webhook.Secrets.RetiredSigningVersions),
        ["UrlVersion"] = webhook.Secrets.UrlVersion,
    };

    public static Webhook FromRow(TableEntity row)
    {
        var type = WireNames.TryParse(row.GetString("Type"), out var parsed)
            ? parsed
            : throw new InvalidDataException($"Webhook row {row.RowKey} has an unknown type.");
        var mode = Enum.Parse<ProjectFilterMode>(row.GetString("ProjectFilterMode") ?? nameof(ProjectFilterMode.All));
        var names = Deserialize<string[]>(row, "ProjectFilterNames") ?? [];
        return new Webhook
        {
            OrganizationId = row.PartitionKey,
            Id = row.RowKey,
            Name = row.GetString("Name") ?? "",
            RateLimit = row.GetInt32("RateLimit"),
            TraceContext = row.GetBoolean("TraceContext") ?? false,
            Type = type,
            TeamsFlavor = row.GetString("TeamsFlavor") is { } flavor ? WireNames.ParseTeamsFlavor(flavor) : null,
            Url = row.GetString("Url"),
            DisplayUrl = row.GetString("DisplayUrl") ?? "",
            Events = EventSubscription.FromWire(Deserialize<string[]>(row, "Events") ?? [EventSubscription.AllToken]),
            Projects = mode switch
            {
                ProjectFilterMode.Include => ProjectFilter.Include(names),
                ProjectFilterMode.Exclude => ProjectFilter.Exclude(names),
                _ => ProjectFilter.AllProjects,
            },
            Enabled = row.GetBoolean("Enabled") ?? false,
            CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? row.Timestamp ?? DateTimeOffset.MinValue,
            UpdatedAt = row.GetDateTimeOffset("UpdatedAt") ?? row.Timestamp ?? DateTimeOffset.MinValue,
            LastTriggeredAt = row.GetDateTimeOffset(LastTriggeredAt),
            LastStatusCode = row.GetInt32(LastStatusCode) is { } code and > NoResponse ? code : null,
            LastSuccessAt = row.GetDateTimeOffset(LastSuccessAt),
            FailingSince = row.GetDateTimeOffset("FailingSince"),
            DisabledReason = row.GetString("DisabledReason"),
            DisabledAt = row.GetDateTimeOffset("DisabledAt"),
            Secrets = new SecretReferences
            {
                SigningVersion = row.GetString("SigningVersion"),
                RetiredSigningVersions = Deserialize<RetiredSecret[]>(row, "RetiredSigningVersions") ?? [],
                UrlVersion = row.GetString("UrlVersion"),
            },
            ETag = row.ETag.ToString(),
        };
    }

    /// <summary>
    /// The merge that moves the webhook's activity, as read in <paramref name="stored"/> (its activity
    /// columns only), forward to what was observed, column by column and only where newer (so a late or
    /// concurrent write never moves a time backwards), or null when the row already holds it all. The
    /// status code travels with the triggered time.
    /// </summary>
    public static TableEntity? ActivityUpdate(
        string organizationId, string webhookId, TableEntity stored, DateTimeOffset lastTriggeredAt, int? lastStatusCode, DateTimeOffset? lastSuccessAt)
    {
        var update = new TableEntity(organizationId, webhookId);
        var newer = false;
        if (!(stored.GetDateTimeOffset(LastTriggeredAt) >= lastTriggeredAt))
        {
            update[LastTriggeredAt] = lastTriggeredAt;
            update[LastStatusCode] = lastStatusCode ?? NoResponse;
            newer = true;
        }
        if (lastSuccessAt is { } success && !(stored.GetDateTimeOffset(LastSuccessAt) >= success))
        {
            update[LastSuccessAt] = success;
            newer = true;
        }
        return newer ? update : null;
    }

    private static T? Deserialize<T>(TableEntity row, string column) =>
        row.GetString(column) is { Length: > 0 } json ? JsonSerializer.Deserialize<T>(json) : default;

    public static ETag ETagOf(string? etag) => string.IsNullOrEmpty(etag) ? ETag.All : new ETag(etag);
}
