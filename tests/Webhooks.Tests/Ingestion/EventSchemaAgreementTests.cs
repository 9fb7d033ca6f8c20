using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Json.Schema;
using Webhooks.Events;
using Webhooks.Model;
using Webhooks.Standalone.LocalDevelopment;
using Webhooks.Tests.Api;
using Webhooks.Tests.Fuzz;

namespace Webhooks.Tests.Ingestion;

/// <summary>
/// The published schema (<c>schemas/webhook-event.schema.json</c>) and the reader agree: every sample
/// event and a few hundred generated ones are either accepted by both or refused by both, the schema
/// checked by a maintained validator (JsonSchema.Net, formats enforced), and so is every event body
/// the fuzz suites send. Beyond the schema the reader
/// also checks the catalogue of types and the envelope's byte size, so the comparison uses the reader
/// without the catalogue and stays under the size cap.
/// </summary>
public sealed class EventSchemaAgreementTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "schemas", "webhook-event.schema.json")),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static readonly EvaluationOptions Strict = new() { RequireFormatValidation = true };

    [Fact]
    public void TheSampleEventsAreJudgedAlikeAndAreValidOnceThePublishCommandFillsIdAndTime()
    {
        var samples = Directory.GetFiles(Path.Combine(RepositoryRoot.Find(), "samples", "events"), "*.json");
        Assert.NotEmpty(samples);
        foreach (var file in samples)
        {
            var sample = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            AssertAgree(sample.ToJsonString(), Path.GetFileName(file));
            // What `publish` adds to a sample without them.
            sample["id"] ??= "evt_sample";
            sample["occurredAt"] ??= "2026-12-02T06:00:00.1234567+00:00";
            var (reader, schema) = Judge(sample.ToJsonString());
            Assert.True(reader is null && schema, $"{Path.GetFileName(file)}: reader {reader ?? "accepts"}, schema {(schema ? "accepts" : "refuses")}");
        }
    }

    [Fact]
    public void GeneratedEventsAreAcceptedOrRefusedAlikeByTheReaderAndTheSchema()
    {
        var events = Gen.Sample(EventGen, 400, new Rnd(20261202UL, 0x9E3779B97F4A7C15UL), 20);
        var accepted = events.Count(e => AssertAgree(e, "generated"));
        // The generator is worth something only if both verdicts are common.
        Assert.True(accepted is >= 40 and <= 360, $"{accepted} of {events.Length} accepted; refused for: "
            + string.Join("\n", events.Select(e => Judge(e).Reader).OfType<string>().GroupBy(r => r[..Math.Min(r.Length, 80)]).Select(g => $"{g.Count()} {g.Key}")));
    }

    /// <summary>
    /// The bodies the API fuzz suite sends (<see cref="FuzzedRequests"/>) and the bad events the poison and
    /// 400 tests use (<see cref="PoisonEventTests.BadEventBytes"/>): each one that is JSON the schema can
    /// judge is judged alike. The rest (not JSON, not valid Unicode, a name twice, over the size cap) is
    /// refused by the reader before any rule the schema states; that is checked too.
    /// </summary>
    [Fact]
    public void TheFuzzSuitesEventsAreAcceptedOrRefusedAlikeByTheReaderAndTheSchema()
    {
        var fuzzed = FuzzedRequests.Bodies("acme").Sample(2000, new Rnd(20261202UL, 0x2545F4914F6CDD1DUL), 30).OfType<byte[]>()
            .Select((body, i) => ($"fuzzed body {i}", body));
        var bad = PoisonEventTests.Faults.Select(fault => ($"bad event '{fault}'", PoisonEventTests.BadEventBytes(fault, "acme")));
        var judged = 0;
        foreach (var (what, bytes) in fuzzed.Concat(bad))
        {
            if (IsJudgeableJson(bytes))
            {
                AssertAgree(bytes, what);
                judged++;
            }
            else
            {
                Assert.Throws<ValidationException>(() => EventEnvelopeReader.ReadAnyType(bytes));
            }
        }
        Assert.True(judged >= 500, $"only {judged} of the fuzzed bodies are JSON the schema can judge");
    }

    /// <summary>Asserts the two verdicts match; returns whether both accept.</summary>
    private static bool AssertAgree(string json, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(bytes.Length <= EventEnvelopeReader.MaxEventBytes, "generated events stay under the size cap");
        return AssertAgree(bytes, what);
    }

    private static bool AssertAgree(byte[] bytes, string what)
    {
        var (reader, schema) = Judge(bytes);
        var json = Encoding.UTF8.GetString(bytes);
        Assert.True((reader is null) == schema,
            $"{what}: the reader {(reader is null ? "accepts" : "refuses (" + reader + ")")} and the schema {(schema ? "accepts" : "refuses")}:\n{json[..Math.Min(json.Length, 2000)]}");
        return schema;
    }

    private static (string? Reader, bool Schema) Judge(string json) => Judge(Encoding.UTF8.GetBytes(json));

    /// <summary>The reader's refusal (null when it accepts) and the schema's verdict.</summary>
    private static (string? Reader, bool Schema) Judge(byte[] bytes)
    {
        string? refusal = null;
        try
        {
            EventEnvelopeReader.ReadAnyType(bytes);
        }
        catch (ValidationException e)
        {
            refusal = e.Message;
        }
        using var document = JsonDocument.Parse(bytes, AnyDepth);
        return (refusal, Schema.Value.Evaluate(document.RootElement, Strict).IsValid);
    }

    /// <summary>Deep documents are JSON too; the schema judges them (the reader's parser stops at 64 levels).</summary>
    private static readonly JsonDocumentOptions AnyDepth = new() { MaxDepth = 4096 };

    /// <summary>
    /// I-JSON (RFC 7493) within the reader's size cap: what a JSON Schema can judge. Its data model has
    /// no invalid UTF-8, no unpaired surrogate and no name given twice in one object; checked here
    /// without the reader's code, so the split cannot hide a reader bug.
    /// </summary>
    private static bool IsJudgeableJson(byte[] bytes)
    {
        if (bytes.Length > EventEnvelopeReader.MaxEventBytes)
        {
            return false;
        }
        try
        {
            _ = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = AnyDepth.MaxDepth, AllowDuplicateProperties = false });
            return IsUnicodeText(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool IsUnicodeText(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => element.GetString() is not null,
                JsonValueKind.Array => element.EnumerateArray().All(IsUnicodeText),
                JsonValueKind.Object => element.EnumerateObject().All(p => p.Name is not null && IsUnicodeText(p.Value)),
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            // An escape that leaves a surrogate unpaired.
            return false;
        }
    }

    private static readonly string Astral = "\U0001F680";

    /// <summary>Mostly good values, sometimes bad ones, so that about half the events are valid overall.</summary>
    private static Gen<JsonNode?> Pick(Gen<string> good, Gen<string> bad) =>
        Gen.Frequency((20, good), (1, bad)).Select(t => (JsonNode?)JsonValue.Create(t));

    private static Gen<string> Text(params string[] values) => Gen.Elements(values);

    private static Gen<string> Repeated(string unit, params int[] counts) => Gen.Elements(counts).Select(n => string.Concat(Enumerable.Repeat(unit, n)));

    private static Gen<JsonNode?> WrongTypes { get; } = Gen.Elements<Func<JsonNode?>>(
        () => JsonValue.Create(123), () => JsonValue.Create(true), () => new JsonArray("x"), () => new JsonObject { ["x"] = 1 }, () => JsonValue.Create(4.5))
        .Select(make => make());

    private static readonly JsonNode Absent = JsonValue.Create("absent-marker")!;

    /// <summary>A field: a value from <paramref name="values"/>, sometimes another JSON type, null, or absent.</summary>
    private static Gen<JsonNode?> Field(Gen<JsonNode?> values) => Gen.Frequency(
        (40, values),
        (1, WrongTypes),
        (1, Gen.Constant<JsonNode?>(null)),
        (1, Gen.Constant<JsonNode?>(Absent)));

    private static Gen<JsonNode?> IdValues { get; } = Field(Pick(
        Gen.OneOf(Text("evt_1", "evt_01JD9ZX", "e", "événement-1", "evt " + Astral, " evt_padded "), Repeated("i", 127, 128), Repeated(Astral, 127, 128)),
        Gen.OneOf(Text("   ", "", "evt_\u202Eexe.txt", "evt_\u200Bzero", "evt_\u0000", "evt\n", "evt_\t1", "\u00A0", "evt_\u2028", "evt_\U000E0041\U000E0042", "evt_\U0001D173"), Repeated("i", 129), Repeated(Astral, 129))));

    private static Gen<JsonNode?> TypeValues { get; } = Field(Pick(
        Gen.OneOf(Text("build_completed", "submit_failed", "deploy_started", "webhook.disabled"), Repeated("t", 100), Repeated(Astral, 100)),
        Gen.OneOf(Text("", " ", "build_\u202Ecompleted", "build\r\n"), Repeated("t", 101), Repeated(Astral, 101))));

    private static Gen<JsonNode?> TimeValues { get; } = Field(Pick(
        Text("2026-12-02T06:00:00Z", "2026-12-02T06:00:00.1234567+00:00", "2026-12-02T06:00:00.5-08:00", "2024-02-29T23:59:59Z", "2026-12-02T06:00:00+14:00"),
        Text("2026-12-02T06:00:00.12345678Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-02T24:00:00Z", "2026-12-02",
            "2026-12-02 06:00:00Z", "2026-12-02t06:00:00z", "2026-12-02T06:00:00", "2026-12-02T06:00:00Z\n", " 2026-12-02T06:00:00Z",
            "2026-12-02T06:00Z", "yesterday", "2026-12-02T06:00:00+0100", "٢٠٢٦-12-02T06:00:00Z")));

    private static Gen<JsonNode?> OrganizationIdValues { get; } = Field(Pick(
        Gen.OneOf(Text("acme", "Acme_Mobile-2", "a"), Repeated("o", 64)),
        Gen.OneOf(Text("-acme", "_acme", "ac me", "acme\n", "acmé", ""), Repeated("o", 65))));

    private static Gen<JsonNode?> LimitedText(int limit, params string[] more) => Pick(
        Gen.OneOf(Text(more), Repeated("m", limit), Repeated(Astral, limit)),
        Gen.OneOf(Repeated("m", limit + 1), Repeated(Astral, limit + 1)));

    private static Gen<JsonNode?> OrganizationValues { get; } = Gen.Frequency(
        (40, from id in OrganizationIdValues
             from name in Field(LimitedText(200, "Acme Mobile", "", "  ", "Ac\u202Eme"))
             select (JsonNode?)Build(("id", id), ("name", name))),
        (1, WrongTypes),
        (1, Gen.Constant<JsonNode?>(null)),
        (1, Gen.Constant<JsonNode?>(Absent)));

    private static Gen<JsonNode?> DataValues { get; } = Field(Gen.Elements<Func<JsonNode?>>(
        () => new JsonObject(), () => new JsonObject { ["projectName"] = "my-app", ["buildNumber"] = 117, ["nested"] = new JsonObject { ["list"] = new JsonArray(1, "two", null) } })
        .Select(make => make()));

    private static Gen<string> EventGen { get; } =
        from id in IdValues
        from type in TypeValues
        from occurredAt in TimeValues
        from organization in OrganizationValues
        from project in Field(LimitedText(200, "my-app", "  my-app  ", "", "   "))
        from data in DataValues
        from message in Field(LimitedText(2000, "Build 117 is ready.", ""))
        from extra in Gen.Elements(false, true)
        select Build(("id", id), ("type", type), ("occurredAt", occurredAt), ("organization", organization), ("project", project), ("data", data), ("message", message),
            ("extra", extra ? JsonValue.Create("ignored") : Absent)).ToJsonString();

    private static JsonObject Build(params (string Name, JsonNode? Value)[] fields)
    {
        var o = new JsonObject();
        foreach (var (name, value) in fields)
        {
            if (!ReferenceEquals(value, Absent))
            {
                o[name] = value?.DeepClone();
            }
        }
        return o;
    }
}
