namespace AgentFlow.FlowGram.Execution;

/// <summary>A message of a report (§3.6); only errors are ever written.</summary>
internal sealed record FlowMessage(string Id, string Type, string Message, string? NodeId, long Timestamp);
