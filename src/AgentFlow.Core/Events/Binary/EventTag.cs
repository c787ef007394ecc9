namespace AgentFlow.Core.Events.Binary;

/// <summary>The first byte of an event in the binary log format. Values are stored: never renumber one.</summary>
internal enum EventTag : byte
{
    ExecutionStarted = 1,
    NodeStarted = 2,
    NodeSucceeded = 3,
    NodeFailed = 4,
    NodeRetryScheduled = 5,
    NodeSkipped = 6,
    NodeCancelled = 7,
    TimerScheduled = 8,
    TimerFired = 9,
    VariablesAssigned = 10,
    SignalReceived = 11,
    ExecutionCancelRequested = 12,
    ExecutionCompleted = 13,
    ExecutionFailed = 14,
    ExecutionCancelled = 15,
    ExecutionPaused = 16,
    ExecutionResumed = 17,
    ExecutionRetried = 18,
}
