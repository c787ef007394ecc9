using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Nodes;
using AgentFlow.Runtime;

namespace AgentFlow.FlowGram.Executors;

/// <summary>The <c>flowgram.*</c> node kinds and their executors on the AgentFlow runtime.</summary>
public static class FlowGramNodes
{
    /// <summary>The prefix of every FlowGram kind: a node of type <c>http</c> has kind <c>flowgram.http</c>.</summary>
    public const string Prefix = "flowgram.";

    internal const string Loop = Prefix + "loop";
    internal const string Unknown = Prefix + "unknown";
    internal const string Invalid = Prefix + "invalid";

    /// <summary>The node types with an executor in runtime-js (§2), besides loop, break and continue.</summary>
    internal static readonly string[] Types = ["start", "end", "block-start", "block-end", "condition", "http", "llm", "code"];

    /// <summary>Registers every FlowGram kind; http and llm nodes use <paramref name="http"/>.</summary>
    public static NodeExecutorRegistry Register(NodeExecutorRegistry registry, HttpClient http, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(http);
        var clock = time ?? TimeProvider.System;
        var executors = new Dictionary<string, IFlowNodeExecutor>(StringComparer.Ordinal)
        {
            ["start"] = new StartExecutor(),
            ["end"] = new EndExecutor(),
            ["block-start"] = new EmptyExecutor(),
            ["block-end"] = new EmptyExecutor(),
            ["condition"] = new ConditionExecutor(),
            ["http"] = new HttpExecutor(http),
            ["llm"] = new LlmExecutor(http),
            ["code"] = new CodeExecutor(new CodeRunner()),
            ["unknown"] = new MissingExecutor(),
        };
        foreach (var (type, executor) in executors)
        {
            var node = new FlowGramNodeExecutor(executor, clock);
            registry.Register(Prefix + type, type is "http" or "llm" or "code" ? node : new LocalFlowGramNodeExecutor(node));
        }

        return registry
            .Register(Loop, new LoopExecutor())
            .Register(Invalid, new InvalidTaskExecutor());
    }
}
