namespace AgentFlow.Server.Observability;

/// <summary>One metric in the Prometheus exposition: its name, help text, type and samples.</summary>
/// <param name="Name">A valid Prometheus metric name (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>).</param>
/// <param name="Type"><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</param>
internal sealed record MetricFamily(string Name, string Help, string Type, IReadOnlyList<MetricSample> Samples);

/// <summary>One line of a metric: a name (the family's, or with a histogram suffix), labels and a value.</summary>
internal sealed record MetricSample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);
