namespace AgentFlow.Core.Definitions;

/// <summary>When a node with several incoming edges may run.</summary>
public enum JoinMode
{
    /// <summary>Wait until every incoming edge is resolved; run if at least one was taken, skip if none was.</summary>
    All = 0,

    /// <summary>Run as soon as one incoming edge is taken; skip only if every incoming edge is not taken.</summary>
    Any,
}
