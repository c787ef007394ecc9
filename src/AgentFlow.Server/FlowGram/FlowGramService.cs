using AgentFlow.FlowGram.Api;
using AgentFlow.Server.Executions;
using AgentFlow.Server.Hosting;

namespace AgentFlow.Server.FlowGram;

/// <summary>
/// The server's FlowGram task API: tasks are durable executions of the server's host (they survive a restart) and
/// belong to the tenant that started them.
/// </summary>
internal sealed class FlowGramService(RuntimeService runtime)
{
    public FlowGramTaskApi Api => runtime.FlowGram;

    /// <summary>Starts a task labelled with <paramref name="tenant"/>.</summary>
    public Task<string> RunAsync(string tenant, string schema, System.Text.Json.Nodes.JsonObject? inputs, CancellationToken cancellationToken) =>
        Api.TaskRunAsync(schema, inputs, new Dictionary<string, string>(StringComparer.Ordinal) { [ExecutionLabels.Tenant] = tenant }, cancellationToken);

    /// <summary>Whether <paramref name="taskId"/> is a task of <paramref name="tenant"/>; another tenant's answers like an unknown one.</summary>
    public async Task<bool> OwnsAsync(string tenant, string taskId, CancellationToken cancellationToken) =>
        await runtime.Store.GetExecutionAsync(taskId, cancellationToken).ConfigureAwait(false) is { } record && ExecutionService.BelongsTo(record, tenant);
}
