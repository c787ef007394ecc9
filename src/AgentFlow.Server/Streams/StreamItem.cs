using AgentFlow.Core.Events;
using AgentFlow.Runtime;

namespace AgentFlow.Server.Streams;

/// <summary>What a live stream delivers: a stored event (resumable by its sequence) or transient node progress.</summary>
internal abstract record StreamItem;

/// <summary>An event read from the log.</summary>
internal sealed record StoredEventItem(ExecutionEvent Event) : StreamItem;

/// <summary>Partial node output (e.g. LLM tokens); never stored, so it carries no sequence.</summary>
internal sealed record ProgressItem(NodeProgressUpdate Update) : StreamItem;
