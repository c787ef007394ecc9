namespace AgentFlow.Runtime;

/// <summary>What a pause or resume request did (see <c>WorkflowHost.PauseAsync</c> and <see cref="WorkflowRuntime.PauseAsync"/>).</summary>
public enum ControlOutcome
{
    /// <summary>No execution has that id.</summary>
    Unknown,

    /// <summary>The execution is not running in this runtime (runtime-level calls only; a host looks further).</summary>
    NotRunningHere,

    /// <summary>The request took effect: its event is recorded, or handed to the loop that runs the execution here.</summary>
    Applied,

    /// <summary>The execution was already in the requested state (paused, or running); nothing was recorded.</summary>
    Unchanged,

    /// <summary>Another process owns the execution; the request is in its inbox and that owner applies it.</summary>
    Requested,
}
