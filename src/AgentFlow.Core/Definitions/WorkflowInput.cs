using System.Collections.Immutable;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Definitions;

/// <summary>A typed input that callers pass when they start a workflow.</summary>
/// <param name="Name">The name, referenced as <c>inputs.NAME</c>.</param>
/// <param name="Type">The declared type; values are checked against it at start.</param>
/// <param name="Required">Whether a caller must supply it (an input with a default is never required).</param>
/// <param name="Default">The value used when the caller supplies none.</param>
/// <param name="AllowedValues">When not empty, the only values accepted.</param>
/// <param name="Secret">Whether the value must never be logged or shown in reports.</param>
public sealed record WorkflowInput(
    string Name,
    DataType Type,
    bool Required,
    Value? Default,
    ImmutableArray<Value> AllowedValues,
    string? Description,
    bool Secret,
    SourceLocation Location);
