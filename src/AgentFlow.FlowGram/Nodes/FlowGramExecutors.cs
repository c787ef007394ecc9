using AgentFlow.FlowGram.Execution;

namespace AgentFlow.FlowGram.Nodes;

/// <summary>The executors js-core registers (§2), by FlowGram node type.</summary>
internal static class FlowGramExecutors
{
    public static Dictionary<string, IFlowNodeExecutor> Create(HttpClient http, CodeRunner code) => new(StringComparer.Ordinal)
    {
        ["start"] = new StartExecutor(),
        ["end"] = new EndExecutor(),
        ["block-start"] = new EmptyExecutor(),
        ["block-end"] = new EmptyExecutor(),
        ["break"] = new EmptyExecutor("loop-break"),
        ["continue"] = new EmptyExecutor("loop-continue"),
        ["condition"] = new ConditionExecutor(),
        ["loop"] = new LoopExecutor(),
        ["http"] = new HttpExecutor(http),
        ["llm"] = new LlmExecutor(http),
        ["code"] = new CodeExecutor(code),
    };
}
