namespace AgentFlow.Runtime.Executors;

/// <summary>
/// Marks an executor whose work has no effect outside the execution's own log (noop, transform, assign, ...). The
/// runner may dispatch such nodes before their <c>NodeStarted</c> is durable; every other node waits for that append
/// first, so that a node with external effects is never run without a record that it started. Such a node streams
/// no partial output: its <see cref="Core.Nodes.NodeContext.Progress"/> discards reports.
/// </summary>
/// <remarks>Public so that executors of other front doors (FlowGram's start, end, condition, ...) can say so too.</remarks>
public interface ILocalNode;
