using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AgentFlow.Server.Observability;

/// <summary>
/// The server's one <see cref="Meter"/> and one <see cref="ActivitySource"/> (both named <see cref="Name"/>) and the
/// instruments on them. One instance per server, disposed with it.
/// </summary>
internal sealed class AgentFlowInstruments : IDisposable
{
    /// <summary>The meter's and the activity source's name, to subscribe to from outside (e.g. an OTLP exporter).</summary>
    public const string Name = "AgentFlow";

    private long _queueDepth;

    public AgentFlowInstruments()
    {
        Meter = new Meter(Name);
        ActivitySource = new ActivitySource(Name);
        ExecutionsStarted = Meter.CreateCounter<long>("agentflow.executions.started", description: "Executions started, by workflow.");
        ExecutionsCompleted = Meter.CreateCounter<long>("agentflow.executions.completed", description: "Executions that succeeded, by workflow.");
        ExecutionsFailed = Meter.CreateCounter<long>("agentflow.executions.failed", description: "Executions that failed, by workflow.");
        ExecutionsCancelled = Meter.CreateCounter<long>("agentflow.executions.cancelled", description: "Executions cancelled, by workflow.");
        NodeDuration = Meter.CreateHistogram<double>(
            "agentflow.node.duration",
            unit: "s",
            description: "Duration of node attempts from start to end, by node kind and outcome.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300] });
        StoreAppend = Meter.CreateHistogram<double>(
            "agentflow.store.append.duration",
            unit: "s",
            description: "Time from a batch's last event to its append to the store completing.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
        ActiveStreams = Meter.CreateUpDownCounter<long>("agentflow.streams.active", description: "Open live streams (SSE and WebSocket).");
        // Read at scrape time so a long soak can tell a per-execution leak (heap after GC grows) from allocation churn.
        Meter.CreateObservableGauge("agentflow.process.gc.heap.bytes", () => GC.GetGCMemoryInfo().HeapSizeBytes, unit: "By", description: "Managed heap size in bytes as of the last garbage collection (live objects plus fragmentation).");
        Meter.CreateObservableGauge("agentflow.process.gc.heap.after_gen2.bytes", HeapAfterLastGen2, unit: "By", description: "Managed heap size in bytes after the last gen-2 (full or background) collection: the live set, without young garbage.");
        Meter.CreateObservableGauge("agentflow.process.gc.gen2.collections", () => (long)GC.CollectionCount(2), description: "Gen-2 garbage collections since the process started.");
        Meter.CreateObservableGauge("agentflow.process.resident.bytes", () => Environment.WorkingSet, unit: "By", description: "The process's resident memory in bytes.");
        Meter.CreateObservableGauge("agentflow.queue.depth", () => Volatile.Read(ref _queueDepth), description: "Unfinished executions in the store that no runtime in this process is running (waiting to be resumed or claimed), as of the last scrape.");
    }

    public Meter Meter { get; }

    public ActivitySource ActivitySource { get; }

    public Counter<long> ExecutionsStarted { get; }

    public Counter<long> ExecutionsCompleted { get; }

    public Counter<long> ExecutionsFailed { get; }

    public Counter<long> ExecutionsCancelled { get; }

    public Histogram<double> NodeDuration { get; }

    public Histogram<double> StoreAppend { get; }

    public UpDownCounter<long> ActiveStreams { get; }

    /// <summary>Sets what the queue-depth gauge reports (measured by the scrape, which has to ask the store).</summary>
    public void SetQueueDepth(long depth) => Volatile.Write(ref _queueDepth, depth);

    private static long HeapAfterLastGen2()
    {
        var full = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        return (full.Index >= background.Index ? full : background).HeapSizeBytes;
    }

    public void Dispose()
    {
        Meter.Dispose();
        ActivitySource.Dispose();
    }
}
