using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Execution;

/// <summary>What the execution loop reacts to; everything that changes an execution goes through its inbox.</summary>
internal abstract record RunnerMessage;

/// <summary>An attempt finished: an output, an error, or cancellation.</summary>
internal sealed record NodeOutcome(int NodeIndex, int Attempt, Value Output, ErrorInfo? Error, bool Cancelled) : RunnerMessage;

/// <summary>A retry delay or a sleep timer is due.</summary>
internal sealed record TimerDue(int NodeIndex, int Attempt, bool IsRetry) : RunnerMessage;

internal sealed record CancelRequested : RunnerMessage
{
    public static CancelRequested Instance { get; } = new();
}

internal sealed record WorkflowTimedOut : RunnerMessage
{
    public static WorkflowTimedOut Instance { get; } = new();
}

/// <summary>New signals may be in the inbox (sent here, or noticed by a host's poll).</summary>
internal sealed record SignalsAvailable : RunnerMessage
{
    public static SignalsAvailable Instance { get; } = new();
}

/// <summary>The pending signals read from the inbox.</summary>
internal sealed record SignalsFetched(IReadOnlyList<Core.Persistence.StoredSignal> Signals) : RunnerMessage;

/// <summary>Wakes the loop so it notices it was detached.</summary>
internal sealed record Detached : RunnerMessage
{
    public static Detached Instance { get; } = new();
}

/// <summary>The host found this node's durable timer due in the store.</summary>
internal sealed record StoreTimerDue(string NodeId) : RunnerMessage;
