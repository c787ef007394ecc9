using System.Diagnostics.Metrics;
using AgentFlow.Server.Observability;

namespace AgentFlow.Server.Tests.Observability;

/// <summary>The exposition is byte-exact Prometheus 0.0.4 text: HELP/TYPE, escaping, histogram series.</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Write_CounterWithLabelsNeedingEscapes_ExactText()
    {
        var family = new MetricFamily("agentflow_executions_started_total", "Executions started, by workflow.\nA \\ second line.", "counter",
        [
            new MetricSample("agentflow_executions_started_total", [new("workflow", "acme/say \"hi\"\\now\nplease")], 3),
            new MetricSample("agentflow_executions_started_total", [new("workflow", "plain")], 0.5),
        ]);

        var text = PrometheusText.Write([family]);

        Assert.Equal(
            "# HELP agentflow_executions_started_total Executions started, by workflow.\\nA \\\\ second line.\n"
            + "# TYPE agentflow_executions_started_total counter\n"
            + "agentflow_executions_started_total{workflow=\"acme/say \\\"hi\\\"\\\\now\\nplease\"} 3\n"
            + "agentflow_executions_started_total{workflow=\"plain\"} 0.5\n",
            text);
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(12345678.0, "12345678")]
    public void FormatValue_SpecialAndPlainNumbers_AsPrometheusParsesThem(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.FormatValue(value));

    [Theory]
    [InlineData("agentflow.node.duration", "agentflow_node_duration")]
    [InlineData("9lives-metric", "_lives_metric")]
    public void Name_InvalidCharacters_Replaced(string name, string expected) => Assert.Equal(expected, PrometheusText.Name(name));

    [Fact]
    public void Collect_HistogramCounterAndGauge_CumulativeBucketsSumCountAndSuffixes()
    {
        using var meter = new Meter("AgentFlow");
        using var collector = new MetricsCollector(meter);
        var durations = meter.CreateHistogram<double>("agentflow.node.duration", "s", "Node time.", null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        var started = meter.CreateCounter<long>("agentflow.executions.started", description: "Started.");
        var level = 7L;
        meter.CreateObservableGauge("agentflow.queue.depth", () => level, description: "Waiting.");
        durations.Record(0.05, new KeyValuePair<string, object?>("kind", "llm"));
        durations.Record(0.1, new KeyValuePair<string, object?>("kind", "llm"));
        durations.Record(2.5, new KeyValuePair<string, object?>("kind", "llm"));
        started.Add(2, new KeyValuePair<string, object?>("workflow", "w"));
        level = 4;

        var text = PrometheusText.Write(collector.Collect());

        Assert.Equal(
            "# HELP agentflow_executions_started_total Started.\n"
            + "# TYPE agentflow_executions_started_total counter\n"
            + "agentflow_executions_started_total{workflow=\"w\"} 2\n"
            + "# HELP agentflow_node_duration_seconds Node time.\n"
            + "# TYPE agentflow_node_duration_seconds histogram\n"
            + "agentflow_node_duration_seconds_bucket{kind=\"llm\",le=\"0.1\"} 2\n"
            + "agentflow_node_duration_seconds_bucket{kind=\"llm\",le=\"1\"} 2\n"
            + "agentflow_node_duration_seconds_bucket{kind=\"llm\",le=\"+Inf\"} 3\n"
            + "agentflow_node_duration_seconds_sum{kind=\"llm\"} 2.65\n"
            + "agentflow_node_duration_seconds_count{kind=\"llm\"} 3\n"
            + "# HELP agentflow_queue_depth Waiting.\n"
            + "# TYPE agentflow_queue_depth gauge\n"
            + "agentflow_queue_depth 4\n",
            text);
    }

    [Fact]
    public void Collect_AnotherMeterWithTheSameName_NotIncluded()
    {
        using var mine = new Meter("AgentFlow");
        using var other = new Meter("AgentFlow");
        using var collector = new MetricsCollector(mine);
        mine.CreateCounter<long>("agentflow.executions.started").Add(1);
        other.CreateCounter<long>("agentflow.executions.failed").Add(1);

        var text = PrometheusText.Write(collector.Collect());

        Assert.Contains("agentflow_executions_started_total 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("failed", text, StringComparison.Ordinal);
    }
}
