using System.Text.Json.Serialization;

namespace AgentFlow.Core.Events;

/// <summary>
/// One fact in an execution's append-only log. The log is the only truth: state, reports and live
/// streams are all folds of it, so events are immutable and their JSON shape is versioned
/// (<see cref="EventSchema.Version"/>).
/// </summary>
/// <param name="ExecutionId">The execution the event belongs to.</param>
/// <param name="Sequence">1-based position in the log; contiguous, with no gaps.</param>
/// <param name="Timestamp">When the runtime recorded the event (from its <see cref="TimeProvider"/>).</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ExecutionStarted), "executionStarted")]
[JsonDerivedType(typeof(NodeStarted), "nodeStarted")]
[JsonDerivedType(typeof(NodeSucceeded), "nodeSucceeded")]
[JsonDerivedType(typeof(NodeFailed), "nodeFailed")]
[JsonDerivedType(typeof(NodeRetryScheduled), "nodeRetryScheduled")]
[JsonDerivedType(typeof(NodeSkipped), "nodeSkipped")]
[JsonDerivedType(typeof(NodeCancelled), "nodeCancelled")]
[JsonDerivedType(typeof(TimerScheduled), "timerScheduled")]
[JsonDerivedType(typeof(TimerFired), "timerFired")]
[JsonDerivedType(typeof(VariablesAssigned), "variablesAssigned")]
[JsonDerivedType(typeof(SignalReceived), "signalReceived")]
[JsonDerivedType(typeof(ExecutionCancelRequested), "executionCancelRequested")]
[JsonDerivedType(typeof(ExecutionCompleted), "executionCompleted")]
[JsonDerivedType(typeof(ExecutionFailed), "executionFailed")]
[JsonDerivedType(typeof(ExecutionCancelled), "executionCancelled")]
[JsonDerivedType(typeof(ExecutionPaused), "executionPaused")]
[JsonDerivedType(typeof(ExecutionResumed), "executionResumed")]
[JsonDerivedType(typeof(ExecutionRetried), "executionRetried")]
public abstract record ExecutionEvent(string ExecutionId, long Sequence, DateTimeOffset Timestamp);
