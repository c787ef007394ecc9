namespace AgentFlow.Core.Execution;

/// <summary>Node kinds the engine itself understands.</summary>
public static class NodeKinds
{
    /// <summary>Chooses the first branch whose condition holds (evaluated by the decider).</summary>
    public const string Condition = "condition";

    /// <summary>Same as <see cref="Condition"/>, with several cases.</summary>
    public const string Switch = "switch";

    /// <summary>Runs a body per item of an array.</summary>
    public const string Map = "map";

    /// <summary>Runs a child workflow.</summary>
    public const string Subworkflow = "subworkflow";

    /// <summary>Waits on a durable timer.</summary>
    public const string Sleep = "sleep";

    /// <summary>Waits for a named signal (or fails with <c>timeout</c>).</summary>
    public const string Wait = "wait";

    /// <summary>Writes workflow variables.</summary>
    public const string Assign = "assign";

    /// <summary>In a map body: end this item and start no further items.</summary>
    public const string Break = "break";

    /// <summary>In a map body: end this item at once; its result is null.</summary>
    public const string Continue = "continue";
}
