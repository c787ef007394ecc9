using AgentFlow.Core.Persistence;
using AgentFlow.Server.Problems;

namespace AgentFlow.Server.Workflows;

/// <summary>A stored workflow version as the API shows it; <see cref="Source"/> only when one version is asked for.</summary>
public sealed record WorkflowResponse(string Id, int Version, string Format, string ContentHash, DateTimeOffset CreatedAt, string? Name, bool Created, string? Source)
{
    internal static WorkflowResponse From(WorkflowCatalog catalog, StoredDefinition stored, string id, bool created, bool withSource) =>
        new(id, stored.Version, stored.Format, stored.ContentHash, stored.CreatedAt, catalog.Load(stored, id).Name, created, withSource ? stored.Source : null);
}

/// <summary>A page of workflows.</summary>
public sealed record WorkflowPage(IReadOnlyList<WorkflowResponse> Items, string? NextPageToken);

/// <summary>The answer of a successful validation (failures are 400/422 problems with every error).</summary>
public sealed record ValidationResponse(bool Valid, string? Id, string Format, IReadOnlyList<ApiError> Warnings);
