using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Api;

namespace AgentFlow.FlowGram.Bench;

/// <summary>
/// AgentFlow's side of one run, through the public task API only: TaskRun, wait for the task, TaskResult. The one
/// place to adapt when that API changes (for example when it moves onto the durable runtime).
/// </summary>
/// <param name="recycleEvery">Replace the task API after this many runs (0: never). The API keeps every task for its
/// lifetime, as the reference does; recycling shows what that retention costs.</param>
/// <param name="withReport">A run also reads the task's report (TaskReport) after its result.</param>
internal sealed class AgentFlowSide(int recycleEvery = 0, bool withReport = false) : IDisposable
{
    private readonly HttpClient _http = new();
    private FlowGramTaskApi? _api;
    private int _runs;

    public async Task<(string TaskId, JsonObject? Result)> RunAsync(string schema, JsonObject inputs, CancellationToken cancellationToken)
    {
        if (_api is null || (recycleEvery > 0 && _runs++ % recycleEvery == 0))
        {
            _api?.Dispose();
            _api = new FlowGramTaskApi(_http);
        }

        var taskId = _api.TaskRun(schema, inputs);
        await _api.WhenIdleAsync(taskId, cancellationToken);
        var result = _api.TaskResult(taskId);
        if (withReport)
        {
            _ = _api.TaskReport(taskId);
        }

        return (taskId, result);
    }

    public string? Status(string taskId) => _api!.TaskReport(taskId)?["workflowStatus"]?["status"]?.GetValue<string>();

    /// <summary>Node executions in the task (snapshots over all nodes, loop bodies counted per iteration).</summary>
    public int NodeRuns(string taskId) =>
        (_api!.TaskReport(taskId)?["reports"] as JsonObject)?.Sum(r => (r.Value?["snapshots"] as JsonArray)?.Count ?? 0) ?? 0;

    public void Dispose()
    {
        _api?.Dispose();
        _http.Dispose();
    }
}
