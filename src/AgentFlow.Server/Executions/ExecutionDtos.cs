using System.Text.Json;
using AgentFlow.Core.Persistence;
using AgentFlow.Server.Workflows;

namespace AgentFlow.Server.Executions;

/// <summary>The body of <c>POST /api/v1/executions</c>.</summary>
/// <param name="Inputs">A JSON object of workflow inputs.</param>
/// <param name="IdempotencyKey">The same key (for the same tenant) returns the same execution; the header wins when both are given.</param>
public sealed record StartExecutionRequest(string? WorkflowId, int? Version, JsonElement? Inputs, string? IdempotencyKey, Dictionary<string, string>? Labels);

/// <summary>The body of <c>POST /api/v1/executions/{id}/signal</c>.</summary>
public sealed record SignalRequest(string? Name, JsonElement? Payload, string? DeduplicationId);

/// <summary>What a signal send did.</summary>
public sealed record SignalResponse(long SignalId, bool Duplicate);

/// <summary>An execution's index row as the API shows it.</summary>
public sealed record ExecutionResponse(
    string Id,
    string WorkflowId,
    int WorkflowVersion,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyDictionary<string, string> Labels,
    long LastSequence)
{
    internal static ExecutionResponse From(ExecutionRecord record, string tenant) => new(
        record.ExecutionId,
        WorkflowCatalog.Unqualify(tenant, record.WorkflowId) ?? record.WorkflowId,
        record.WorkflowVersion,
        ExecutionStatusNames.Format(record.Status),
        record.CreatedAt,
        record.UpdatedAt,
        record.FinishedAt,
        record.Labels.Where(l => !string.Equals(l.Key, ExecutionLabels.Tenant, StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal),
        record.LastSequence);
}

/// <summary>A page of executions, newest first.</summary>
public sealed record ExecutionListPage(IReadOnlyList<ExecutionResponse> Items, string? NextPageToken);

/// <summary>A cancel request's outcome: <c>cancelled</c>, <c>requested</c> (another process will cancel it) or <c>already-finished</c>.</summary>
public sealed record CancelResponse(string Outcome, ExecutionResponse? Execution);

/// <summary>The answer to pause, resume and retry: <c>applied</c>, <c>requested</c> (sent to the owning process) or <c>unchanged</c>.</summary>
public sealed record ControlResponse(string Outcome, ExecutionResponse? Execution);
