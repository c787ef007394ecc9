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
/// For a map item: extra expression roots, <c>item</c> and <c>index</c>, plus (in logs written before
/// <see cref="InheritsParentContext"/>) the parent's <c>nodes</c> and <c>vars</c> captured when the child started.
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

    /// <summary>
    /// For a map item: the log records only the item's own roots in <see cref="Scope"/> and no <see cref="Inputs"/>;
    /// the runtime hands the item the parent's inputs, nodes and variables whenever it runs or resumes it (a child
    /// runs and resumes only through its root, so the parent is there). A copy of the parent's inputs and scope in
    /// every item's log made a map's stored size grow with items times inputs.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool InheritsParentContext { get; init; }

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
        && InheritsParentContext == other.InheritsParentContext
        && (SecretInputs ?? []).SequenceEqual(other.SecretInputs ?? []);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), WorkflowId, WorkflowVersion, ParentExecutionId);
}
