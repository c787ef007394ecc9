using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Api;
using AgentFlow.Testing.FlowGramHarness;

namespace AgentFlow.FlowGram.Tests.Differential;

/// <summary>The harness's task APIs on <see cref="FlowGramTaskApi"/> in-process, as <c>run-case.mjs</c> calls runtime-js's.</summary>
internal sealed class InProcessTasks(FlowGramTaskApi api) : IFlowGramTasks
{
    public Task<JsonObject> ValidateAsync(string schema, JsonObject inputs, CancellationToken cancellationToken)
    {
        var validation = api.TaskValidate(schema, inputs);
        var output = new JsonObject { ["valid"] = validation.Valid };
        if (validation.Errors is { } errors)
        {
            output["errors"] = new JsonArray([.. errors.Select(e => JsonValue.Create(e))]);
        }

        return Task.FromResult(output);
    }

    public async Task<TaskRunOutcome> RunAsync(string schema, JsonObject inputs, CancellationToken cancellationToken)
    {
        try
        {
            return new TaskRunOutcome(await api.TaskRunAsync(schema, inputs, cancellationToken), null);
        }
        catch (FlowGramException ex)
        {
            return new TaskRunOutcome(null, ex.Message);
        }
    }

    public Task<JsonObject?> ReportAsync(string taskId, CancellationToken cancellationToken) => api.TaskReportAsync(taskId, cancellationToken);

    public Task<JsonObject?> ResultAsync(string taskId, CancellationToken cancellationToken) => api.TaskResultAsync(taskId, cancellationToken);

    public Task<bool> CancelAsync(string taskId, CancellationToken cancellationToken) => api.TaskCancelAsync(taskId, cancellationToken);
}
