namespace AgentFlow.Core.Definitions;

/// <summary>What happens when a node fails after its last attempt.</summary>
public enum ErrorStrategy
{
    /// <summary>The workflow fails.</summary>
    Fail = 0,

    /// <summary>The node is recorded as failed, its output is null, and downstream nodes run.</summary>
    Continue,

    /// <summary>The node is recorded as failed, its output is the node's fallback value, and downstream nodes run.</summary>
    Fallback,
}
