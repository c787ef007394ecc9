using System.Text.Json;
using System.Text.Json.Serialization;
using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Execution;

/// <summary>A summary of one execution, derived from its log alone.</summary>
public sealed record ExecutionReport(
    string ExecutionId,
    string WorkflowId,
    int WorkflowVersion,
    string Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    [property: JsonIgnore] TimeSpan? Duration,
    Value Inputs,
    Value Outputs,
    ErrorInfo? Error,
    string? FailedNodeId,
    string? ParentExecutionId,
    string? ParentNodeId,
    IReadOnlyList<NodeReport> Nodes)
{
    /// <summary>Builds the report by folding the log.</summary>
    public static ExecutionReport FromEvents(IEnumerable<ExecutionEvent> events)
    {
        var state = ExecutionState.Replay(events);
        var nodes = state.Nodes.Values
            .Select(n => new NodeReport(
                n.NodeId,
                NodeState.StatusName(n.Status),
                n.Attempt,
                n.Parameters,
                n.Output,
                n.Error,
                n.Branch,
                n.SkipReason,
                n.StartedAt,
                n.FinishedAt,
                n.StartedAt is { } s && n.FinishedAt is { } f ? f - s : null))
            .ToList();
        return new ExecutionReport(
            state.ExecutionId,
            state.WorkflowId,
            state.WorkflowVersion,
            StatusName(state.Status),
            state.StartedAt,
            state.FinishedAt,
            state.StartedAt is { } start && state.FinishedAt is { } end ? end - start : null,
            Redact(state.Inputs, state.SecretInputs),
            state.Outputs,
            state.Error,
            state.FailedNodeId,
            state.ParentExecutionId,
            state.ParentNodeId,
            nodes);
    }

    /// <summary>The duration in milliseconds, as JSON carries it.</summary>
    public double? DurationMs => Duration?.TotalMilliseconds;

    /// <summary>The value reports show in place of a secret input.</summary>
    public const string Redacted = "***";

    private static Value Redact(Value inputs, IReadOnlyList<string> secrets) =>
        secrets.Count == 0 || inputs.Kind != ValueKind.Object
            ? inputs
            : Value.Object(inputs.AsObject().Select(p => secrets.Contains(p.Key) ? new KeyValuePair<string, Value>(p.Key, Redacted) : p));

    /// <summary>The report as camelCase JSON.</summary>
    public string ToJson(bool indented = false)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            JsonSerializer.Serialize(writer, this, ReportJsonContext.Default.ExecutionReport);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The lowercase name used in reports and listings.</summary>
    public static string StatusName(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Running => "running",
        ExecutionStatus.Succeeded => "succeeded",
        ExecutionStatus.Failed => "failed",
        ExecutionStatus.Cancelling => "cancelling",
        ExecutionStatus.Paused => "paused",
        _ => "cancelled",
    };
}
