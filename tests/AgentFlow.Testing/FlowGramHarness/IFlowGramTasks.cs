using System.Text.Json.Nodes;

namespace AgentFlow.Testing.FlowGramHarness;

/// <summary>
/// FlowGram's five task APIs as the harness calls them (FLOWGRAM.md §4.1), so one case runner drives them in-process or
/// over HTTP.
/// </summary>
public interface IFlowGramTasks
{
    /// <summary>TaskValidate's answer, <c>{valid, errors?}</c>.</summary>
    Task<JsonObject> ValidateAsync(string schema, JsonObject inputs, CancellationToken cancellationToken);

    /// <summary>TaskRun: the task ID, or what stands for TaskRun throwing (in-process its message).</summary>
    Task<TaskRunOutcome> RunAsync(string schema, JsonObject inputs, CancellationToken cancellationToken);

    /// <summary>TaskReport of a known task; null when the answer is not a report (over HTTP: the reference server's 500 for an output that fails its zod schema).</summary>
    Task<JsonObject?> ReportAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>TaskResult: null while the task runs (<c>undefined</c>).</summary>
    Task<JsonObject?> ResultAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>TaskCancel's <c>success</c>.</summary>
    Task<bool> CancelAsync(string taskId, CancellationToken cancellationToken);
}

/// <summary>TaskRun's outcome: a task, or the error that stands for its throwing.</summary>
public sealed record TaskRunOutcome(string? TaskId, string? Error);
