using System.Collections.Concurrent;
using System.Diagnostics;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Runtime;
using Microsoft.Extensions.Logging;

namespace AgentFlow.Server.Observability;

/// <summary>
/// Turns the events executions record into metrics, traces and logs: counters per workflow, node durations per kind,
/// the store append latency, one span per execution with a child span per node attempt (timed by the events'
/// timestamps), and log lines scoped with the execution and node ids. Never logs inputs or outputs.
/// </summary>
internal sealed partial class ExecutionTelemetry(AgentFlowInstruments instruments, TimeProvider time, ILogger<ExecutionTelemetry> logger) : IExecutionObserver
{
    private readonly ConcurrentDictionary<string, ExecutionTrack> _tracks = new(StringComparer.Ordinal);

    /// <summary>Executions this observer is following (started or resumed here and not yet ended).</summary>
    public int TrackedCount => _tracks.Count;

    public void OnRecorded(CompiledGraph graph, IReadOnlyList<ExecutionEvent> events, bool replayed)
    {
        if (replayed)
        {
            Resume(graph, events);
            return;
        }

        if (events.Count > 0)
        {
            instruments.StoreAppend.Record(Math.Max(0, (time.GetUtcNow() - events[^1].Timestamp).TotalSeconds));
        }

        foreach (var e in events)
        {
            Record(graph, e);
        }
    }

    private void Record(CompiledGraph graph, ExecutionEvent e)
    {
        switch (e)
        {
            case ExecutionStarted started:
                var track = _tracks[started.ExecutionId] = new ExecutionTrack(started.WorkflowId, StartSpan("agentflow.execution", Parent(started.ParentExecutionId), started.Timestamp, started));
                instruments.ExecutionsStarted.Add(1, new KeyValuePair<string, object?>("workflow", track.WorkflowId));
                using (logger.BeginScope(new LogScope(started.ExecutionId, null)))
                {
                    LogExecutionStarted(logger, started.ExecutionId, track.WorkflowId, started.WorkflowVersion);
                }

                break;
            case NodeStarted node when _tracks.TryGetValue(node.ExecutionId, out var owner):
                owner.Nodes[(node.NodeId, node.Attempt)] = new NodeTrack(node.Timestamp, KindOf(graph, node.NodeId), StartSpan("agentflow.node", owner.Span?.Context ?? default, node.Timestamp, node));
                break;
            case NodeSucceeded node:
                EndNode(node.ExecutionId, node.NodeId, node.Attempt, node.Timestamp, "succeeded", null);
                break;
            case NodeFailed node:
                EndNode(node.ExecutionId, node.NodeId, node.Attempt, node.Timestamp, "failed", node.Error);
                break;
            case NodeCancelled node:
                EndNode(node.ExecutionId, node.NodeId, node.Attempt, node.Timestamp, "cancelled", null);
                break;
            case ExecutionCompleted done:
                EndExecution(done, "succeeded", instruments.ExecutionsCompleted, null);
                break;
            case ExecutionFailed failed:
                EndExecution(failed, "failed", instruments.ExecutionsFailed, failed.Error);
                break;
            case ExecutionCancelled cancelled:
                EndExecution(cancelled, "cancelled", instruments.ExecutionsCancelled, null);
                break;
        }
    }

    // A resumed execution gets a new span from now (the earlier part was exported by the process that ran it), and
    // its unfinished node attempts are tracked again so their ends are measured from their recorded starts.
    private void Resume(CompiledGraph graph, IReadOnlyList<ExecutionEvent> events)
    {
        if (events is not [ExecutionStarted started, ..] || events[^1] is ExecutionCompleted or ExecutionFailed or ExecutionCancelled)
        {
            return;
        }

        var track = _tracks[started.ExecutionId] = new ExecutionTrack(started.WorkflowId, StartSpan("agentflow.execution", Parent(started.ParentExecutionId), time.GetUtcNow(), started));
        track.Span?.SetTag("agentflow.resumed", true);
        foreach (var e in events)
        {
            switch (e)
            {
                case NodeStarted node:
                    track.Nodes[(node.NodeId, node.Attempt)] = new NodeTrack(node.Timestamp, KindOf(graph, node.NodeId), null);
                    break;
                case NodeSucceeded or NodeFailed or NodeCancelled:
                    var (nodeId, attempt) = e switch { NodeSucceeded s => (s.NodeId, s.Attempt), NodeFailed f => (f.NodeId, f.Attempt), _ => (((NodeCancelled)e).NodeId, ((NodeCancelled)e).Attempt) };
                    track.Nodes.TryRemove((nodeId, attempt), out _);
                    break;
            }
        }

        LogExecutionResumed(logger, started.ExecutionId, track.WorkflowId);
    }

    private void EndNode(string executionId, string nodeId, int attempt, DateTimeOffset at, string outcome, ErrorInfo? error)
    {
        if (!_tracks.TryGetValue(executionId, out var track) || !track.Nodes.TryRemove((nodeId, attempt), out var node))
        {
            return;
        }

        instruments.NodeDuration.Record(
            Math.Max(0, (at - node.StartedAt).TotalSeconds),
            new KeyValuePair<string, object?>("kind", node.Kind),
            new KeyValuePair<string, object?>("outcome", outcome));
        EndSpan(node.Span, at, error);
        if (error is not null)
        {
            using var scope = logger.BeginScope(new LogScope(executionId, nodeId));
            LogNodeFailed(logger, nodeId, node.Kind, attempt, error.Code);
        }
    }

    private void EndExecution(ExecutionEvent e, string outcome, System.Diagnostics.Metrics.Counter<long> counter, ErrorInfo? error)
    {
        if (!_tracks.TryRemove(e.ExecutionId, out var track))
        {
            return;
        }

        counter.Add(1, new KeyValuePair<string, object?>("workflow", track.WorkflowId));
        foreach (var node in track.Nodes.Values)
        {
            EndSpan(node.Span, e.Timestamp, null);
        }

        EndSpan(track.Span, e.Timestamp, error);
        using var scope = logger.BeginScope(new LogScope(e.ExecutionId, null));
        if (error is null)
        {
            LogExecutionEnded(logger, e.ExecutionId, track.WorkflowId, outcome);
        }
        else
        {
            LogExecutionFailed(logger, e.ExecutionId, track.WorkflowId, error.Code);
        }
    }

    private ActivityContext Parent(string? parentExecutionId) =>
        parentExecutionId is not null && _tracks.TryGetValue(parentExecutionId, out var parent) && parent.Span is { } span ? span.Context : default;

    private Activity? StartSpan(string name, ActivityContext parent, DateTimeOffset start, ExecutionEvent e)
    {
        // Spans are built from events, not from the code path that recorded them: a request's ambient activity must
        // not become the parent, and the new span must not stay ambient for the recording thread.
        var ambient = Activity.Current;
        Activity.Current = null;
        try
        {
            var span = instruments.ActivitySource.StartActivity(name, ActivityKind.Internal, parent, startTime: start);
            if (span is not null)
            {
                span.SetTag("agentflow.execution_id", e.ExecutionId);
                switch (e)
                {
                    case ExecutionStarted started:
                        span.DisplayName = "execution " + started.WorkflowId;
                        span.SetTag("agentflow.workflow_id", started.WorkflowId);
                        span.SetTag("agentflow.workflow_version", started.WorkflowVersion);
                        break;
                    case NodeStarted node:
                        span.DisplayName = "node " + node.NodeId;
                        span.SetTag("agentflow.node_id", node.NodeId);
                        span.SetTag("agentflow.attempt", node.Attempt);
                        break;
                }
            }

            return span;
        }
        finally
        {
            Activity.Current = ambient;
        }
    }

    private static void EndSpan(Activity? span, DateTimeOffset end, ErrorInfo? error)
    {
        if (span is null)
        {
            return;
        }

        if (error is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, error.Code);
        }

        span.SetEndTime(end.UtcDateTime);
        var ambient = Activity.Current;
        span.Stop();
        Activity.Current = ambient;
    }

    private static string KindOf(CompiledGraph graph, string nodeId) =>
        graph.IndexOf(nodeId) is var index and >= 0 ? graph.Nodes[index].Kind : "unknown";

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} of {WorkflowId} (version {Version}) started")]
    private static partial void LogExecutionStarted(ILogger logger, string executionId, string workflowId, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} of {WorkflowId} resumed")]
    private static partial void LogExecutionResumed(ILogger logger, string executionId, string workflowId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} of {WorkflowId} {Outcome}")]
    private static partial void LogExecutionEnded(ILogger logger, string executionId, string workflowId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} of {WorkflowId} failed with {ErrorCode}")]
    private static partial void LogExecutionFailed(ILogger logger, string executionId, string workflowId, string errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} ({Kind}) attempt {Attempt} failed with {ErrorCode}")]
    private static partial void LogNodeFailed(ILogger logger, string nodeId, string kind, int attempt, string errorCode);

    private sealed class ExecutionTrack(string workflowId, Activity? span)
    {
        public string WorkflowId { get; } = workflowId;

        public Activity? Span { get; } = span;

        public ConcurrentDictionary<(string NodeId, int Attempt), NodeTrack> Nodes { get; } = new();
    }

    private sealed record NodeTrack(DateTimeOffset StartedAt, string Kind, Activity? Span);
}
