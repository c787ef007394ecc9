using AgentFlow.Core.Values;

namespace AgentFlow.Runtime.Executors;

/// <summary>A node that waits on a durable timer (recorded as TimerScheduled/TimerFired) instead of running code.</summary>
internal interface IDurableTimerNode
{
    /// <summary>When the timer is due, given the resolved parameters.</summary>
    /// <exception cref="Core.Nodes.NodeExecutionException">The parameters are invalid.</exception>
    DateTimeOffset GetDueTime(Value parameters, DateTimeOffset now);
}
