using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;

namespace Webhooks.Tests.Deployment;

/// <summary>
/// The log alert rules in infra/app/alerts.bicep, read from the built template as Azure Monitor will run them. A rule
/// with a measure aggregates the measure column of the query's rows per window (its windowSize, the "aggregation
/// granularity") and compares that with the threshold; a query that summarizes must therefore summarize per bin of that
/// window, by TimeGenerated (the alert service runs such a bin() as bin_at() with a fixed point it sets at run time), or
/// its numbers are about some other span of time than the rule's.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class AlertRulesTests
{
    private const string FailureRateRule = "Webhook deliveries failing at a high rate";

    [Fact]
    public async Task EveryLogAlertQueryProducesItsMeasureDimensionsAndTimeAndSummarizesPerBinOfTheRuleWindow()
    {
        using var template = await ArmTemplates.BuildAsync("infra/app/alerts.bicep");
        var rules = Rules(template.RootElement).ToList();
        Assert.NotEmpty(rules);

        foreach (var rule in rules)
        {
            var window = XmlConvert.ToTimeSpan(ArmTemplates.Evaluate(template.RootElement, rule.Properties.GetProperty("windowSize")));
            var frequency = XmlConvert.ToTimeSpan(ArmTemplates.Evaluate(template.RootElement, rule.Properties.GetProperty("evaluationFrequency")));
            Assert.True(frequency <= window, $"'{rule.Name}': evaluated every {frequency} over a {window} window, so some of the time is never looked at.");

            foreach (var condition in rule.Properties.GetProperty("criteria").GetProperty("allOf").EnumerateArray())
            {
                var query = new KqlPipeline(ArmTemplates.Evaluate(template.RootElement, condition.GetProperty("query")));
                var columns = query.NamedColumns();
                var measure = condition.GetProperty("metricMeasureColumn").GetString()!;

                Assert.True(columns.ContainsKey(measure), $"'{rule.Name}' measures {measure}, which its query does not produce (it produces {string.Join(", ", columns.Keys)}).");
                Assert.True(columns.ContainsKey("TimeGenerated"), $"'{rule.Name}': the query's rows carry no TimeGenerated, so the alert service cannot place them in its windows.");
                var dimensions = condition.TryGetProperty("dimensions", out var declared) ? declared.EnumerateArray().ToList() : new List<JsonElement>();
                foreach (var dimension in dimensions)
                {
                    var name = dimension.GetProperty("name").GetString()!;
                    Assert.True(columns.ContainsKey(name), $"'{rule.Name}' splits by {name}, which its query does not produce.");
                }

                if (query.LastSummarize >= 0)
                {
                    var bins = query.SummarizeBins();
                    Assert.True(bins.Count == 1 && bins[0].Column == "TimeGenerated",
                        $"'{rule.Name}' summarizes without 'by bin(TimeGenerated, ...)': its aggregates span whatever time range the query is given, not the rule's {window} window.");
                    Assert.True(bins[0].Size == window, $"'{rule.Name}' summarizes per {bins[0].Size} bin, but the rule aggregates per {window} window.");
                }
            }
        }
    }

    [Fact]
    public async Task TheFailureRateIsTakenPerWindowBinOnlyWhereTheBinHoldsTheMinimumAttempts()
    {
        using var template = await ArmTemplates.BuildAsync("infra/app/alerts.bicep");
        var root = template.RootElement;
        var rule = Assert.Single(Rules(root), r => r.Name == FailureRateRule);
        var condition = Assert.Single(rule.Properties.GetProperty("criteria").GetProperty("allOf").EnumerateArray().ToList());
        var query = new KqlPipeline(ArmTemplates.Evaluate(root, condition.GetProperty("query")));
        var measure = condition.GetProperty("metricMeasureColumn").GetString()!;
        var minimumAttempts = int.Parse(ArmTemplates.Evaluate(root, root.GetProperty("parameters").GetProperty("minimumAttempts").GetProperty("defaultValue")), System.Globalization.CultureInfo.InvariantCulture);
        var percent = double.Parse(ArmTemplates.Evaluate(root, condition.GetProperty("threshold")), System.Globalization.CultureInfo.InvariantCulture);

        // A rate is taken from the window's sums; summed or counted across rows it would mean nothing.
        Assert.Contains(condition.GetProperty("timeAggregation").GetString()!, new[] { "Maximum", "Minimum", "Average" });
        Assert.InRange(percent, 0, 100);

        var summarize = query.LastSummarize;
        Assert.True(summarize >= 0, "The failure rate is computed from attempts and failures summed per window; the query does not summarize.");
        var columns = query.NamedColumns();
        var measureStage = columns[measure];
        Assert.True(measureStage > summarize, $"{measure} is computed before the per-window sums exist.");

        // The guard: a where after the sums, on one of them, at the template's minimum, before the rate is taken.
        var guards = query.Stages.Select((stage, index) => (stage, index))
            .Where(s => s.index > summarize && s.index < measureStage && s.stage.Operator == "where")
            .Select(s => MinimumGuard().Match(s.stage.Body))
            .Where(m => m.Success)
            .ToList();
        Assert.True(guards.Count == 1, $"Expected one 'where <per-window sum> >= {minimumAttempts}' after the sums and before {measure} is computed; found {guards.Count}.");
        var guard = guards[0];
        var guarded = guard.Groups[1].Value;
        Assert.True(query.Aggregations(summarize).Contains(guarded), $"The minimum guards {guarded}, which is not one of the per-window sums ({string.Join(", ", query.Aggregations(summarize))}).");
        Assert.Equal(minimumAttempts, int.Parse(guard.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));

        // The rate's denominator is the guarded count, so no window with too few attempts (or none) is judged.
        Assert.Matches($@"/\s*{guarded}\b", query.Definition(measureStage, measure));
    }

    private static IEnumerable<(string Name, JsonElement Properties)> Rules(JsonElement template) =>
        ArmTemplates.Resources(template)
            .Where(r => r.GetProperty("type").GetString() == "Microsoft.Insights/scheduledQueryRules" && r.GetProperty("kind").GetString() == "LogAlert")
            .Select(r => (r.GetProperty("properties").GetProperty("displayName").GetString()!, r.GetProperty("properties")));

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)\s*>=\s*(\d+)$")]
    private static partial Regex MinimumGuard();
}
