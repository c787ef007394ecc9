using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Nodes;

/// <summary><c>loop</c>: runs the body sequentially per element with <c>&lt;loopID&gt;_locals</c> and aggregates <c>loopOutputs</c> (§2.7).</summary>
internal sealed class LoopExecutor : IFlowNodeExecutor
{
    public async ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken)
    {
        var node = run.Node;
        var loopFor = node.Data.GetValueOrDefault("loopFor") as JsObject;
        var source = FlowValues.Ref(loopFor?.GetValueOrDefault("content"), run.Context.Store);
        if (source?.Value is not List<object?> items)
        {
            throw new FlowGramException("Loop \"loopFor\" is required");
        }

        if (source.Type != "array")
        {
            throw new FlowGramException("Loop \"loopFor\" must be an array");
        }

        if (source.ItemsType is null)
        {
            throw new FlowGramException("Loop \"loopFor.items\" must be array items");
        }

        var blockStart = node.Children.FirstOrDefault(c => c.Type == "block-start")
            ?? throw new FlowGramException("Loop block start node not found");
        var loopOutputs = node.Data.GetValueOrDefault("loopOutputs") as JsObject ?? [];
        var collected = new List<Dictionary<string, Variable>>(items.Count);
        var locals = node.Id + "_locals";
        for (var index = 0; index < items.Count; index++)
        {
            var iteration = run.Context.CreateIteration();
            iteration.Store.Set(locals, "item", new Variable(items[index], source.ItemsType));
            iteration.Store.Set(locals, "index", new Variable((double)index, "number"));
            try
            {
                await run.Engine.ExecuteNodeAsync(blockStart, iteration).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
            {
                throw new FlowGramException("Loop block execute error", ex);
            }

            if (iteration.HasFlag("loop-break"))
            {
                break;
            }

            if (iteration.HasFlag("loop-continue"))
            {
                continue;
            }

            var block = new Dictionary<string, Variable>(StringComparer.Ordinal);
            foreach (var (name, reference) in loopOutputs)
            {
                if (FlowValues.Ref((reference as JsObject)?.GetValueOrDefault("content"), iteration.Store) is { } value)
                {
                    block[name] = value;
                }
            }

            collected.Add(block);
        }

        var outputs = new JsObject();
        foreach (var name in loopOutputs.Keys)
        {
            string? expect = null;
            foreach (var block in collected)
            {
                if (!block.TryGetValue(name, out var variable))
                {
                    throw new FlowGramException("Cannot read properties of undefined (reading 'type')");
                }

                expect ??= variable.Type;
                if (variable.Type != expect)
                {
                    throw new FlowGramException($"Array items type must be same, expect {expect}, but got {variable.Type}");
                }
            }

            var values = new List<object?>(collected.Count);
            foreach (var block in collected)
            {
                values.Add(block[name].Value);
            }

            outputs[name] = values;
            run.Context.Store.Set(node.Id, name, new Variable(values, "array", expect));
        }

        return new NodeResult(outputs);
    }
}
