using AgentFlow.FlowGram.Api;
using AgentFlow.FlowGram.Executors;
using AgentFlow.Runtime;

namespace AgentFlow.Cli.Commands;

/// <summary>
/// The node kinds a long-lived host in the CLI needs to continue any stored execution: the standard ones plus
/// FlowGram's (its definitions are rebuilt by <see cref="FlowGramTaskApi.HostDefinitionLoaders"/>).
/// </summary>
internal static class HostNodes
{
    public static NodeExecutorRegistry CreateRegistry(HttpClient http) => FlowGramNodes.Register(StandardNodes.CreateRegistry(http), http);
}
