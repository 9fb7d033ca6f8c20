using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// Key Vault's secrets REST protocol, in memory, over real HTTPS on loopback. The real
/// <see cref="SecretClient"/> talks to it with its whole pipeline (challenge authentication, TLS,
/// serialization, paging, error mapping), so tests see what production code would see.
/// </summary>
public sealed class KeyVaultFake : IAsyncDisposable
{
    /// <summary>The only bearer token the fake accepts; <see cref="CreateClient"/> presents it.</summary>
    public const string Token = "key-vault-fake-token";

    // The tenant and resource of the public cloud, as Key Vault names them in its challenge.
    private const string Challenge = "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"";

    // Key Vault's own bounds for maxresults on list operations.
    private const int MaxPageSize = 25;

    private static readonly TimeSpan RetentionPeriod = TimeSpan.FromDays(90);

    private readonly WebApplication app;
    private readonly X509Certificate2 certificate;
    private readonly Lock gate = new();
    private readonly Dictionary<string, StoredSecret> secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<HttpMessageHandler> handlers = [];
    private int requestCount;

    private KeyVaultFake(WebApplication app, X509Certificate2 certificate)
    {
        this.app = app;
        this.certificate = certificate;
    }

    /// <summary>The vault's address, like https://NAME.vault.azure.net/ but on 127.0.0.1 and a free port.</summary>
    public Uri VaultUri { get; private set; } = null!;

    /// <summary>
    /// How many versions a list page holds when the request has no <c>maxresults</c>. The real
    /// client never sends one, so a small value here is how tests make it follow nextLink.
    /// </summary>
    public int VersionsPageSize { get; set; } = MaxPageSize;

    /// <summary>Every request that reached the fake, refused ones included.</summary>
    public int RequestCount => Volatile.Read(ref requestCount);

    /// <summary>Secret name → the values of all its versions, oldest first. Deleted secrets stay listed, as Key Vault keeps them until purged.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values
    {
        get
        {
            lock (gate)
            {
                return secrets.Values.ToDictionary(
                    s => s.Name,
                    s => (IReadOnlyList<string>)[.. s.Versions.Select(v => v.Value)],
                    StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    public static async Task<KeyVaultFake> StartAsync()
    {
        var certificate = KeyVaultCertificate.CreateSelfSigned();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var fake = new KeyVaultFake(app, certificate);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        fake.VaultUri = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>
    /// The real client, trusting exactly this fake's certificate, authenticated with
    /// <paramref name="token"/> (the accepted one unless a test wants to be refused).
    /// </summary>
    public SecretClient CreateClient(string token = Token)
    {
        var expected = certificate.RawData;
        var handler = new SocketsHttpHandler
        {
            // A proxy from the environment must not see, or break, loopback traffic.
            UseProxy = false,
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && CryptographicOperations.FixedTimeEquals(presented.GetRawCertData(), expected),
            },
        };
        lock (gate)
        {
            handlers.Add(handler);
        }
        var options = new SecretClientOptions
        {
            // The challenge names vault.azure.net while the fake is on 127.0.0.1; production keeps this check on.
            DisableChallengeResourceVerification = true,
            Transport = new HttpClientTransport(handler),
        };
        return new SecretClient(VaultUri, new FixedTokenCredential(token), options);
    }

    /// <summary>The version ids of <paramref name="name"/>, oldest first (empty when it was never set).</summary>
    public IReadOnlyList<string> VersionsOf(string name)
    {
        lock (gate)
        {
            return secrets.TryGetValue(name, out var secret) ? [.. secret.Versions.Select(v => v.Id)] : [];
        }
    }

    /// <summary>Whether version <paramref name="version"/> of <paramref name="name"/> exists and is enabled (a disabled version cannot be read).</summary>
    public bool IsEnabled(string name, string version)
    {
        lock (gate)
        {
            return secrets.TryGetValue(name, out var secret)
                && secret.Versions.Find(v => string.Equals(v.Id, version, StringComparison.OrdinalIgnoreCase)) is { Enabled: true };
        }
    }

    /// <summary>Whether <paramref name="name"/> has been deleted (and so is only visible under deletedsecrets).</summary>
    public bool IsDeleted(string name)
    {
        lock (gate)
        {
            return secrets.TryGetValue(name, out var secret) && secret.DeletedOn is not null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        lock (gate)
        {
            foreach (var handler in handlers)
            {
                handler.Dispose();
            }
        }
        certificate.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref requestCount);
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // The client's first request carries neither token nor body: it only wants this challenge.
            await RefuseAsync(context, "AKV10000: Request is missing a Bearer or PoP token.");
            return;
        }
        if (!string.Equals(authorization["Bearer ".Length..].Trim(), Token, StringComparison.Ordinal))
        {
            await RefuseAsync(context, "AKV10032: The token is not one this vault accepts.");
            return;
        }

        var origin = $"{request.Scheme}://{request.Host}";
        var segments = request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var (status, body) = (request.Method, segments) switch
        {
            (_, ["secrets" or "deletedsecrets", var name, ..]) when !IsValidName(name) =>
                Error(HttpStatusCode.BadRequest, "BadParameter", "The secret name must be 1 to 127 letters, digits or '-'."),
            ("PUT", ["secrets", var name]) => await SetAsync(request, origin, name),
            ("GET", ["secrets", var name]) => Get(origin, name, version: null),
            ("GET", ["secrets", var name, "versions"]) => ListVersions(request, origin, name),
            ("GET", ["secrets", var name, var version]) => Get(origin, name, version),
            ("PATCH", ["secrets", var name, var version]) => await UpdateAsync(request, origin, name, version),
            ("DELETE", ["secrets", var name]) => Delete(origin, name),
            ("GET", ["deletedsecrets", var name]) => GetDeleted(origin, name),
            _ => Error(HttpStatusCode.NotImplemented, "NotImplemented", $"The Key Vault fake does not implement {request.Method} {request.Path}."),
        };
        await WriteAsync(context, status, body);
    }

    private async Task<(HttpStatusCode, JsonNode)> SetAsync(HttpRequest request, string origin, string name)
    {
        JsonNode? json;
        try
        {
            json = await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException)
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", "The request body is not JSON.");
        }
        if (json?["value"] is not JsonValue valueNode || !valueNode.TryGetValue<string>(out var value))
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", "The request body must have a string 'value'.");
        }
        var contentType = json["contentType"] is JsonValue type && type.TryGetValue<string>(out var text) ? text : null;
        var tags = json["tags"] is JsonObject tagObject
            ? tagObject.ToDictionary(t => t.Key, t => t.Value?.ToString() ?? "", StringComparer.Ordinal)
            : null;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        lock (gate)
        {
            if (!secrets.TryGetValue(name, out var secret))
            {
                secrets[name] = secret = new StoredSecret(name);
            }
            else if (secret.DeletedOn is not null)
            {
                // Soft delete reserves the name until the deleted secret is recovered or purged.
                return Error(HttpStatusCode.Conflict, "Conflict", $"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.");
            }
            var version = new StoredVersion(Guid.NewGuid().ToString("N"), value, contentType, tags, now, Enabled: true);
            secret.Versions.Add(version);
            return (HttpStatusCode.OK, SecretJson(origin, secret, version, withValue: true));
        }
    }

    private (HttpStatusCode, JsonNode) Get(string origin, string name, string? version)
    {
        lock (gate)
        {
            if (!secrets.TryGetValue(name, out var secret) || secret.DeletedOn is not null)
            {
                return SecretNotFound(name);
            }
            var found = version is null ? secret.Versions[^1] : secret.Versions.Find(v => string.Equals(v.Id, version, StringComparison.OrdinalIgnoreCase));
            return found switch
            {
                null => SecretNotFound($"{name}/{version}"),
                // Key Vault answers a read of a disabled version with 403 and the inner code SecretDisabled.
                { Enabled: false } => (HttpStatusCode.Forbidden, new JsonObject
                {
                    ["error"] = new JsonObject
                    {
                        ["code"] = "Forbidden",
                        ["message"] = "Operation get is not allowed on a disabled secret.",
                        ["innererror"] = new JsonObject { ["code"] = "SecretDisabled" },
                    },
                }),
                _ => (HttpStatusCode.OK, SecretJson(origin, secret, found, withValue: true)),
            };
        }
    }

    /// <summary>Update Secret: only the attributes' enabled flag, content type and tags can change; the value never does.</summary>
    private async Task<(HttpStatusCode, JsonNode)> UpdateAsync(HttpRequest request, string origin, string name, string version)
    {
        JsonNode? json;
        try
        {
            json = await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException)
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", "The request body is not JSON.");
        }
        if (json?["value"] is not null)
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", "A secret's value cannot be updated; set a new version instead.");
        }
        lock (gate)
        {
            if (!secrets.TryGetValue(name, out var secret) || secret.DeletedOn is not null)
            {
                return SecretNotFound(name);
            }
            var index = secret.Versions.FindIndex(v => string.Equals(v.Id, version, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return SecretNotFound($"{name}/{version}");
            }
            var updated = secret.Versions[index];
            if (json?["attributes"]?["enabled"] is JsonValue enabled && enabled.TryGetValue<bool>(out var isEnabled))
            {
                updated = updated with { Enabled = isEnabled };
            }
            if (json?["contentType"] is JsonValue type && type.TryGetValue<string>(out var contentType))
            {
                updated = updated with { ContentType = contentType };
            }
            if (json?["tags"] is JsonObject tags)
            {
                updated = updated with { Tags = tags.ToDictionary(t => t.Key, t => t.Value?.ToString() ?? "", StringComparer.Ordinal) };
            }
            secret.Versions[index] = updated;
            return (HttpStatusCode.OK, SecretJson(origin, secret, updated, withValue: false));
        }
    }

    private (HttpStatusCode, JsonNode) ListVersions(HttpRequest request, string origin, string name)
    {
        var pageSize = VersionsPageSize;
        if (request.Query.TryGetValue("maxresults", out var maxResults)
            && (!int.TryParse(maxResults, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", $"maxresults must be a whole number from 1 to {MaxPageSize}.");
        }
        var skip = 0;
        if (request.Query.TryGetValue("$skiptoken", out var skipToken)
            && (!int.TryParse(skipToken, NumberStyles.None, CultureInfo.InvariantCulture, out skip)))
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", "$skiptoken is not one this vault issued.");
        }
        lock (gate)
        {
            if (!secrets.TryGetValue(name, out var secret) || secret.DeletedOn is not null)
            {
                return SecretNotFound(name);
            }
            var page = new JsonArray([.. secret.Versions.Skip(skip).Take(pageSize).Select(v => (JsonNode)SecretJson(origin, secret, v, withValue: false))]);
            string? nextLink = null;
            if (skip + pageSize < secret.Versions.Count)
            {
                // Absolute, with the caller's other parameters (api-version) kept, as Key Vault returns it.
                var query = new QueryBuilder(request.Query.Where(q => q.Key is not "$skiptoken" and not "maxresults"))
                {
                    { "$skiptoken", (skip + pageSize).ToString(CultureInfo.InvariantCulture) },
                    { "maxresults", pageSize.ToString(CultureInfo.InvariantCulture) },
                };
                nextLink = $"{origin}/secrets/{secret.Name}/versions{query.ToQueryString()}";
            }
            return (HttpStatusCode.OK, new JsonObject { ["value"] = page, ["nextLink"] = nextLink });
        }
    }

    private (HttpStatusCode, JsonNode) Delete(string origin, string name)
    {
        lock (gate)
        {
            if (!secrets.TryGetValue(name, out var secret) || secret.DeletedOn is not null)
            {
                return SecretNotFound(name);
            }
            secret.DeletedOn = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return (HttpStatusCode.OK, DeletedJson(origin, secret));
        }
    }

    private (HttpStatusCode, JsonNode) GetDeleted(string origin, string name)
    {
        lock (gate)
        {
            return secrets.TryGetValue(name, out var secret) && secret.DeletedOn is not null
                ? (HttpStatusCode.OK, DeletedJson(origin, secret))
                : Error(HttpStatusCode.NotFound, "SecretNotFound", $"Deleted Secret not found: {name}");
        }
    }

    private static JsonObject SecretJson(string origin, StoredSecret secret, StoredVersion version, bool withValue)
    {
        var json = new JsonObject();
        if (withValue)
        {
            json["value"] = version.Value;
        }
        json["id"] = $"{origin}/secrets/{secret.Name}/{version.Id}";
        if (version.ContentType is not null)
        {
            json["contentType"] = version.ContentType;
        }
        json["attributes"] = new JsonObject
        {
            ["enabled"] = version.Enabled,
            ["created"] = version.Created,
            ["updated"] = version.Created,
            ["recoveryLevel"] = "Recoverable+Purgeable",
            ["recoverableDays"] = (int)RetentionPeriod.TotalDays,
        };
        if (version.Tags is not null)
        {
            json["tags"] = new JsonObject(version.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value)));
        }
        return json;
    }

    private static JsonObject DeletedJson(string origin, StoredSecret secret)
    {
        var json = SecretJson(origin, secret, secret.Versions[^1], withValue: false);
        var deleted = secret.DeletedOn!.Value;
        json["recoveryId"] = $"{origin}/deletedsecrets/{secret.Name}";
        json["deletedDate"] = deleted;
        json["scheduledPurgeDate"] = deleted + (long)RetentionPeriod.TotalSeconds;
        return json;
    }

    private static (HttpStatusCode, JsonNode) SecretNotFound(string nameOrId) =>
        Error(HttpStatusCode.NotFound, "SecretNotFound", $"A secret with (name/id) {nameOrId} was not found in this key vault.");

    private static (HttpStatusCode, JsonNode) Error(HttpStatusCode status, string code, string message) =>
        (status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static Task RefuseAsync(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = Challenge;
        var (status, body) = Error(HttpStatusCode.Unauthorized, "Unauthorized", message);
        return WriteAsync(context, status, body);
    }

    private static async Task WriteAsync(HttpContext context, HttpStatusCode status, JsonNode body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static bool IsValidName(string name) =>
        name.Length is >= 1 and <= 127 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private sealed class StoredSecret(string name)
    {
        /// <summary>The spelling of the first write; Key Vault names are case-insensitive but keep it.</summary>
        public string Name { get; } = name;

        public List<StoredVersion> Versions { get; } = [];

        public long? DeletedOn { get; set; }
    }

    private sealed record StoredVersion(string Id, string Value, string? ContentType, IReadOnlyDictionary<string, string>? Tags, long Created, bool Enabled);

    private sealed class FixedTokenCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
