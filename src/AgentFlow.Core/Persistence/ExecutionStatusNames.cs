using AgentFlow.Core.Execution;

namespace AgentFlow.Core.Persistence;

/// <summary>The persisted names of <see cref="ExecutionStatus"/> values; stable across releases.</summary>
public static class ExecutionStatusNames
{
    /// <summary>The lowercase name stored in indexes.</summary>
    public static string Format(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Running => "running",
        ExecutionStatus.Succeeded => "succeeded",
        ExecutionStatus.Failed => "failed",
        ExecutionStatus.Cancelling => "cancelling",
        ExecutionStatus.Cancelled => "cancelled",
        ExecutionStatus.Paused => "paused",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown execution status."),
    };

    /// <summary>Reads a stored name.</summary>
    /// <exception cref="FormatException">The name is not a known status.</exception>
    public static ExecutionStatus Parse(string name) => name switch
    {
        "running" => ExecutionStatus.Running,
        "succeeded" => ExecutionStatus.Succeeded,
        "failed" => ExecutionStatus.Failed,
        "cancelling" => ExecutionStatus.Cancelling,
        "cancelled" => ExecutionStatus.Cancelled,
        "paused" => ExecutionStatus.Paused,
        _ => throw new FormatException($"'{name}' is not an execution status."),
    };

    /// <summary>Whether the status is final.</summary>
    public static bool IsTerminal(ExecutionStatus status) =>
        status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled;
}
