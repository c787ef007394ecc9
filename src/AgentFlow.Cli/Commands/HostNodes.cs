using AgentFlow.FlowGram.Api;
using AgentFlow.FlowGram.Executors;
using AgentFlow.Runtime;

namespace AgentFlow.Cli.Commands;

/// <summary>
/// What a long-lived host in the CLI needs to continue any stored execution: the standard node kinds plus FlowGram's,
/// and the loader that rebuilds a stored FlowGram task's definition.
/// </summary>
internal static class HostNodes
{
    public static NodeExecutorRegistry CreateRegistry(HttpClient http) => FlowGramNodes.Register(StandardNodes.CreateRegistry(http), http);

    public static IReadOnlyDictionary<string, Func<Core.Persistence.StoredDefinition, Core.Values.Value, Core.Definitions.WorkflowDefinition>> DefinitionLoaders =>
        FlowGramTaskApi.HostDefinitionLoaders;
}
