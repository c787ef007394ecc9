using AgentFlow.Core.Execution;

namespace AgentFlow.Runtime.Execution;

/// <summary>Pause the execution; <paramref name="Reply"/> receives its status before the request was handled.</summary>
internal sealed record PauseRequested(string? Reason, TaskCompletionSource<ExecutionStatus>? Reply) : RunnerMessage;

/// <summary>Resume a paused execution; <paramref name="Reply"/> receives its status before the request was handled.</summary>
internal sealed record ResumeRequested(TaskCompletionSource<ExecutionStatus>? Reply) : RunnerMessage;
