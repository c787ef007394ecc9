using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace AgentFlow.Server.Observability;

/// <summary>The running figures of one instrument, per label set.</summary>
internal sealed class InstrumentSeries(Instrument instrument, double[] buckets)
{
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly string _type = instrument switch
    {
        Counter<long> or Counter<double> or Counter<int> or ObservableCounter<long> or ObservableCounter<double> => "counter",
        Histogram<double> or Histogram<long> or Histogram<int> => "histogram",
        _ => "gauge",
    };

    /// <summary>The Prometheus name: dots become '_', seconds get their unit suffix and counters <c>_total</c>.</summary>
    public string Name { get; } = PrometheusName(instrument);

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var key = string.Join('\u0001', labels.Select(l => l.Key + "\u0002" + l.Value));
        var series = _series.GetOrAdd(key, _ => new Series(labels, _type == "histogram" ? new long[buckets.Length] : null));
        lock (series)
        {
            // Observable instruments report the current value; synchronous ones an increment.
            if (instrument.IsObservable && _type == "gauge")
            {
                series.Sum = value;
                return;
            }

            series.Sum += value;
            series.Count++;
            if (series.Buckets is { } counts)
            {
                var index = Array.BinarySearch(buckets, value);
                for (var i = index >= 0 ? index : ~index; i < counts.Length; i++)
                {
                    counts[i]++;
                }
            }
        }
    }

    public MetricFamily ToFamily()
    {
        var samples = new List<MetricSample>();
        foreach (var series in _series.Values.OrderBy(s => string.Join(',', s.Labels.Select(l => l.Value)), StringComparer.Ordinal))
        {
            lock (series)
            {
                if (series.Buckets is not { } counts)
                {
                    samples.Add(new MetricSample(Name, series.Labels, series.Sum));
                    continue;
                }

                for (var i = 0; i < buckets.Length; i++)
                {
                    samples.Add(new MetricSample(Name + "_bucket", [.. series.Labels, new("le", PrometheusText.FormatValue(buckets[i]))], counts[i]));
                }

                samples.Add(new MetricSample(Name + "_bucket", [.. series.Labels, new("le", "+Inf")], series.Count));
                samples.Add(new MetricSample(Name + "_sum", series.Labels, series.Sum));
                samples.Add(new MetricSample(Name + "_count", series.Labels, series.Count));
            }
        }

        return new MetricFamily(Name, instrument.Description ?? instrument.Name, _type, samples);
    }

    private static KeyValuePair<string, string>[] Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = new(PrometheusText.Name(tags[i].Key), Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty);
        }

        Array.Sort(labels, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return labels;
    }

    private static string PrometheusName(Instrument instrument)
    {
        var name = PrometheusText.Name(instrument.Name);
        if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            name += "_seconds";
        }

        return instrument is Counter<long> or Counter<double> or Counter<int> && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    private sealed class Series(KeyValuePair<string, string>[] labels, long[]? buckets)
    {
        public KeyValuePair<string, string>[] Labels { get; } = labels;

        public long[]? Buckets { get; } = buckets;

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}
