using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Executors;

/// <summary>A node that waits for a named signal from the execution's inbox, optionally bounded by a durable timer.</summary>
internal interface ISignalWaitNode
{
    /// <summary>The signal name the node waits for.</summary>
    /// <exception cref="Core.Nodes.NodeExecutionException">The parameters are invalid.</exception>
    string GetSignalName(Value parameters);

    /// <summary>When the wait times out; null to wait forever.</summary>
    /// <exception cref="Core.Nodes.NodeExecutionException">The parameters are invalid.</exception>
    DateTimeOffset? GetTimeoutAt(Value parameters, DateTimeOffset now);
}
