using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Nodes;

/// <summary><c>code</c>: runs <c>main({params})</c> in a sandboxed Node.js child process (§2.10).</summary>
internal sealed class CodeExecutor(CodeRunner runner) : IFlowNodeExecutor
{
    public async ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken)
    {
        var script = run.Node.Data.GetValueOrDefault("script") as JsObject ?? [];
        var content = script.GetValueOrDefault("content") as string;
        if (string.IsNullOrEmpty(content))
        {
            throw new FlowGramException("Code content is required");
        }

        var language = script.GetValueOrDefault("language", Js.Undefined);
        if (language is not "javascript")
        {
            throw new FlowGramException($"Unsupported code language \"{Js.ToJsString(language)}\"");
        }

        var result = await runner.RunAsync(content, run.Inputs, cancellationToken).ConfigureAwait(false);
        return new NodeResult(result is JsObject outputs ? outputs : new JsObject { ["result"] = result });
    }
}
