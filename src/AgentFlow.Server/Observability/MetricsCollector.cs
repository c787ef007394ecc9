using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AgentFlow.Server.Observability;

/// <summary>
/// Aggregates one <see cref="Meter"/>'s measurements in memory (sums per label set for counters, buckets for
/// histograms) and turns them into Prometheus families on demand. Only instruments of that meter instance are
/// listened to, so several servers in one process keep separate figures.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();

    public MetricsCollector(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                _instruments[instrument] = new InstrumentSeries(instrument, Buckets(instrument));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments, then returns every instrument's current figures, by name.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        _listener.RecordObservableInstruments();
        return [.. _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => s.ToFamily())];
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_instruments.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags);
        }
    }

    private static double[] Buckets(Instrument instrument) =>
        instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { Count: > 0 } advised } ? [.. advised] : DefaultBuckets;
}
