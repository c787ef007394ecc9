using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Execution;

/// <summary>Something the decider wants the runtime to do. The runtime turns each into events and work.</summary>
public abstract record Decision;

/// <summary>Run an attempt of a node with these resolved parameters (also used to re-dispatch after a crash).</summary>
/// <param name="Resume">True when re-dispatching an attempt whose <see cref="NodeStarted"/> is already in the log.</param>
public sealed record StartNode(int NodeIndex, string NodeId, int Attempt, Value Parameters, bool Resume = false) : Decision;

/// <summary>Resolve a node the decider evaluated itself (condition/switch): record start and success.</summary>
public sealed record CompleteNode(string NodeId, int Attempt, Value Parameters, Value Output, string? Branch) : Decision;

/// <summary>Fail an attempt without running it (e.g. its parameters did not evaluate).</summary>
public sealed record FailNode(string NodeId, int Attempt, Value Parameters, ErrorInfo Error) : Decision;

/// <summary>Record that a node will not run.</summary>
public sealed record SkipNode(string NodeId, string Reason) : Decision;

/// <summary>Start attempt <paramref name="Attempt"/> of a node at <paramref name="DueAt"/>.</summary>
public sealed record ScheduleRetry(string NodeId, int Attempt, DateTimeOffset DueAt) : Decision;

/// <summary>Arm (or re-arm after a resume) the durable timer of a sleeping node.</summary>
public sealed record ScheduleTimer(string NodeId, DateTimeOffset DueAt) : Decision;

/// <summary>Cancel a running or waiting node.</summary>
public sealed record CancelNode(string NodeId) : Decision;

/// <summary>End the execution successfully.</summary>
public sealed record CompleteExecution(Value Outputs) : Decision;

/// <summary>End the execution as failed.</summary>
public sealed record FailExecution(ErrorInfo Error, string? NodeId) : Decision;

/// <summary>End the execution as cancelled (nothing is running any more).</summary>
public sealed record CancelExecution : Decision
{
    /// <summary>The only instance.</summary>
    public static CancelExecution Instance { get; } = new();
}
