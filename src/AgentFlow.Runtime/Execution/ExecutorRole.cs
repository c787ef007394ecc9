namespace AgentFlow.Runtime.Execution;

/// <summary>How the runner treats a node's executor: worked out once per executor a runner meets, not by type tests on every attempt.</summary>
[Flags]
internal enum ExecutorRole
{
    None = 0,

    /// <summary>A <c>wait</c> node: an inbox wait (<see cref="Executors.ISignalWaitNode"/>).</summary>
    SignalWait = 1,

    /// <summary>A sleep: a durable timer (<see cref="Executors.IDurableTimerNode"/>).</summary>
    DurableTimer = 2,

    /// <summary>Computes from the log alone on the loop's thread (<see cref="Executors.ILocalNode"/>).</summary>
    Local = 4,

    /// <summary>Orchestrates child executions (<see cref="Executors.IChildExecutionNode"/>).</summary>
    Child = 8,

    /// <summary>A map-like node whose items the runtime runs (<see cref="Executors.IMapNodeExecutor"/>).</summary>
    MapNode = 16,

    /// <summary>The built-in map node (its children read the parent's scope).</summary>
    Map = 32,
}
