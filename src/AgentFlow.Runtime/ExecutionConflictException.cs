using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;

namespace AgentFlow.Runtime;

/// <summary>
/// A pause, resume or retry does not apply to the execution in its current state (pausing an execution that ended,
/// retrying one that did not fail, ...). Nothing was recorded. Hosts answer it as a conflict (HTTP 409).
/// </summary>
public sealed class ExecutionConflictException : InvalidOperationException
{
    /// <summary>Creates the exception; <paramref name="hint"/> says what the caller can do instead.</summary>
    public ExecutionConflictException(string executionId, ExecutionStatus status, string operation, string hint)
        : base($"Execution '{executionId}' is {ExecutionStatusNames.Format(status)}: it cannot be {operation}. {hint}")
    {
        ExecutionId = executionId;
        Status = status;
        Operation = operation;
    }

    /// <summary>The execution.</summary>
    public string ExecutionId { get; }

    /// <summary>Its status when the request was refused.</summary>
    public ExecutionStatus Status { get; }

    /// <summary>What was asked: <c>paused</c>, <c>resumed</c> or <c>retried</c>.</summary>
    public string Operation { get; }
}
