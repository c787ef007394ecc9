using AgentFlow.Core.Values;

namespace AgentFlow.FlowGram.Executors;

/// <summary>A variable read from its stored form: its value (null when JS <c>undefined</c>), type and items type.</summary>
internal readonly record struct ResolvedVariable(Value? Content, string? Type, string? ItemsType);
