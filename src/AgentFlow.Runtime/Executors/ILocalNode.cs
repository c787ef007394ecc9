namespace AgentFlow.Runtime.Executors;

/// <summary>
/// A node whose work has no effect outside the execution's own log (noop, transform, assign, ...). The runner may
/// dispatch such nodes before their <c>NodeStarted</c> is durable; every other node waits for that append first.
/// </summary>
internal interface ILocalNode;
