using AgentFlow.Core.Definitions;
using AgentFlow.Nodes.Chaos;
using AgentFlow.Nodes.Http;

namespace AgentFlow.Runtime;

/// <summary>The node kinds every host offers: the engine's built-ins plus the executors of AgentFlow.Nodes.</summary>
public static class StandardNodes
{
    /// <summary>What the loader and validator accept.</summary>
    public static NodeKindCatalog Catalog => NodeKindCatalog.BuiltIn;

    /// <summary>A registry with the built-in executors plus <c>http</c> (over <paramref name="http"/>) and <c>chaos</c>.</summary>
    public static NodeExecutorRegistry CreateRegistry(HttpClient http, HttpNodeOptions? httpOptions = null) =>
        new NodeExecutorRegistry()
            .Register("http", new HttpNodeExecutor(http, httpOptions))
            .Register("chaos", new ChaosNodeExecutor());
}
