namespace AgentFlow.Runtime.Execution;

/// <summary>What an execution's loop does next (see <c>ExecutionRunner.NextStep</c>).</summary>
internal enum LoopStep
{
    /// <summary>Stop without recording anything more (detached).</summary>
    Stop,

    /// <summary>Append what is left and end (finished, or parked with nothing to do).</summary>
    End,

    /// <summary>Run the attempts started in the last round.</summary>
    Dispatch,

    /// <summary>Append first (a full batch, or a node with effects outside the log), then run the attempts.</summary>
    FlushThenDispatch,

    /// <summary>Append, then wait for a message.</summary>
    Wait,
}
