using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Delivery;
using Webhooks.Diagnostics;
using Webhooks.Protection;
using Webhooks.Tests.Deployment;
using Webhooks.Tests.Infrastructure;
using Webhooks.Tracing;

namespace Webhooks.Tests.Operability;

/// <summary>
/// The README's instrument table is the catalogue: it lists every instrument the hosts create (name,
/// kind, unit), and every metric and dimension the workbook and the alert rules query is in it, as
/// is every span name and attribute their span queries read.
/// </summary>
[Collection(ManagementStorageTests.Name)]
public sealed partial class InstrumentCatalogueTests(AzuriteFixture storage)
{
    private static readonly string[] QueryFiles = ["infra/app/workbook.bicep", "infra/app/alerts.bicep"];

    [Fact]
    public async Task TheReadmeListsEveryInstrumentTheHostCreatesWithItsKindAndUnit()
    {
        await using var app = new PipelineApp(storage);
        // Instruments are made when their owners are: make every owner.
        _ = app.Services.GetRequiredService<DeliveryTelemetry>();
        _ = app.Services.GetRequiredService<ProtectionTelemetry>();
        _ = app.Services.GetRequiredService<BacklogMonitor>();
        var created = new Dictionary<string, (string Kind, string Unit)>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == DeliveryTelemetry.MeterName)
                {
                    lock (created)
                    {
                        created[instrument.Name] = (KindOf(instrument), instrument.Unit ?? "");
                    }
                }
            };
            listener.Start();
        }

        var catalogue = Catalogue();
        Assert.Equal(catalogue.Keys.Order(), created.Keys.Order());
        Assert.All(created, c => Assert.Equal((catalogue[c.Key].Kind, catalogue[c.Key].Unit), c.Value));
    }

    [Fact]
    public void EveryMetricAndDimensionTheWorkbookAndTheAlertsQueryIsInTheCatalogue()
    {
        var catalogue = Catalogue();
        var checkedQueries = 0;
        foreach (var (file, query) in Queries())
        {
            var names = MetricNames().Matches(query).SelectMany(m => Quoted().Matches(m.Value).Select(q => q.Groups[1].Value)).ToArray();
            var keys = PropertyKeys().Matches(query).Select(m => m.Groups[1].Value).ToArray();
            if (query.TrimStart().StartsWith("AppMetrics", StringComparison.Ordinal))
            {
                Assert.NotEmpty(names);
                foreach (var name in names)
                {
                    Assert.True(catalogue.ContainsKey(name), $"{file} queries the metric {name}, which the code does not emit.");
                    Assert.All(keys, key => Assert.True(catalogue[name].Dimensions.Contains(key), $"{file} reads the dimension {key} of {name}, which has only {string.Join(", ", catalogue[name].Dimensions)}."));
                }
                checkedQueries++;
            }
            else if (query.TrimStart().StartsWith("AppDependencies", StringComparison.Ordinal))
            {
                var attributes = typeof(TraceTags).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
                Assert.All(names, name => Assert.Contains(name, new[] { "webhooks.delivery.attempt", "webhooks.delivery" }));
                Assert.All(keys, key => Assert.True(attributes.Contains(key), $"{file} reads the span attribute {key}, which no span has."));
                checkedQueries++;
            }
        }
        Assert.True(checkedQueries >= 8, $"Only {checkedQueries} metric and span queries were found in the workbook and the alerts.");
    }

    /// <summary>The README's instrument table: name → kind, unit and dimensions.</summary>
    internal static Dictionary<string, (string Kind, string Unit, string[] Dimensions)> Catalogue() =>
        File.ReadLines(InfraFiles.Full("README.md"))
            .Select(line => CatalogueRow().Match(line))
            .Where(m => m.Success)
            .ToDictionary(
                m => m.Groups["name"].Value,
                m => (m.Groups["kind"].Value, m.Groups["unit"].Value, Quoted().Matches(m.Groups["dimensions"].Value.Replace('`', '"')).Select(q => q.Groups[1].Value).ToArray()));

    /// <summary>Every multi-line string of the query files: their KQL.</summary>
    private static IEnumerable<(string File, string Query)> Queries() =>
        QueryFiles.SelectMany(file => MultiLineString().Matches(File.ReadAllText(InfraFiles.Full(file))).Select(m => (file, m.Groups[1].Value)));

    private static string KindOf(Instrument instrument) => instrument switch
    {
        Counter<long> => "counter",
        Histogram<double> => "histogram",
        _ when instrument.IsObservable => "gauge",
        _ => instrument.GetType().Name,
    };

    [GeneratedRegex(@"^\| `(?<name>webhooks\.[a-z0-9_.]+)` \| (?<kind>counter|histogram|gauge) \| `(?<unit>[^`]*)` \| (?<dimensions>[^|]*) \|")]
    private static partial Regex CatalogueRow();

    [GeneratedRegex(@"'''(.*?)'''", RegexOptions.Singleline)]
    private static partial Regex MultiLineString();

    [GeneratedRegex(@"\bName\s*(?:==\s*""[^""]+""|in\s*\([^)]*\))")]
    private static partial Regex MetricNames();

    [GeneratedRegex(@"""([^""]+)""")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"Properties\[""([^""]+)""\]")]
    private static partial Regex PropertyKeys();
}
