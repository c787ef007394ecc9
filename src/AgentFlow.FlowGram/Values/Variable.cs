namespace AgentFlow.FlowGram.Values;

/// <summary>A stored variable or a resolved flow value: its value, its (declared or inferred) type and items type.</summary>
internal sealed record Variable(object? Value, string? Type, string? ItemsType = null);
