using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;

namespace AgentFlow.Server.Workflows;

/// <summary>The outcome of checking a workflow document.</summary>
/// <param name="Id">The workflow id (from the document, or given for FlowGram schemas); null when it could not be read.</param>
/// <param name="Definition">Our model of it; null for FlowGram schemas (run through the FlowGram task API) or on errors.</param>
/// <param name="Malformed">True when the document did not even parse (YAML/JSON syntax).</param>
internal sealed record LoadedWorkflow(string? Id, string? Name, WorkflowDefinition? Definition, IReadOnlyList<Diagnostic> Diagnostics, bool Malformed)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
