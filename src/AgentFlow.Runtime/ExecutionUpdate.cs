using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime;

/// <summary>Something a live watcher sees: a recorded event, or transient node progress that is not stored.</summary>
public abstract record ExecutionUpdate(string ExecutionId);

/// <summary>An event appended to the log.</summary>
public sealed record EventUpdate(ExecutionEvent Event) : ExecutionUpdate(Event.ExecutionId);

/// <summary>Partial output reported by a running node (e.g. LLM tokens).</summary>
public sealed record NodeProgressUpdate(string ExecutionId, string NodeId, int Attempt, Value Partial) : ExecutionUpdate(ExecutionId);
