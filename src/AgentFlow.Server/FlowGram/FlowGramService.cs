using AgentFlow.FlowGram.Api;
using AgentFlow.Server.Hosting;

namespace AgentFlow.Server.FlowGram;

/// <summary>The server's FlowGram task API: tasks are durable executions of the server's host (they survive a restart).</summary>
internal sealed class FlowGramService(RuntimeService runtime)
{
    public FlowGramTaskApi Api => runtime.FlowGram;
}
