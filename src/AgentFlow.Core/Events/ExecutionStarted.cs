using System.Text.Json.Serialization;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events;

/// <summary>The first event of every log.</summary>
/// <param name="WorkflowId">The definition's id.</param>
/// <param name="WorkflowVersion">The definition's version.</param>
/// <param name="Inputs">The bound inputs (defaults applied).</param>
/// <param name="ParentExecutionId">For a child execution (map item, sub-workflow), the parent's id.</param>
/// <param name="ParentNodeId">For a child execution, the parent node that started it.</param>
/// <param name="Scope">
/// For a map item: extra expression roots captured from the parent when the child started
/// (<c>item</c>, <c>index</c>, and the parent's <c>nodes</c> and <c>vars</c>), so the child replays without the parent.
/// Null otherwise.
/// </param>
public sealed record ExecutionStarted(
    string ExecutionId,
    long Sequence,
    DateTimeOffset Timestamp,
    string WorkflowId,
    int WorkflowVersion,
    Value Inputs,
    string? ParentExecutionId = null,
    string? ParentNodeId = null,
    Value Scope = default) : ExecutionEvent(ExecutionId, Sequence, Timestamp)
{
    /// <summary>The event schema version the log was written with.</summary>
    public int SchemaVersion { get; init; } = EventSchema.Version;

    /// <summary>Names of inputs declared secret: reports and listings show them redacted.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? SecretInputs { get; init; }

    /// <inheritdoc />
    public bool Equals(ExecutionStarted? other) =>
        other is not null
        && base.Equals(other)
        && WorkflowId == other.WorkflowId
        && WorkflowVersion == other.WorkflowVersion
        && Inputs == other.Inputs
        && ParentExecutionId == other.ParentExecutionId
        && ParentNodeId == other.ParentNodeId
        && Scope == other.Scope
        && SchemaVersion == other.SchemaVersion
        && (SecretInputs ?? []).SequenceEqual(other.SecretInputs ?? []);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), WorkflowId, WorkflowVersion, ParentExecutionId);
}
