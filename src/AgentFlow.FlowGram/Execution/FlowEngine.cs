using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Execution;

/// <summary>
/// js-core's <c>executeNode</c> (§3.2): join check, snapshot, input resolution, executor, output variables, branch
/// skipping (§2.6) and a fail-fast fan-out like <c>Promise.all</c>.
/// </summary>
internal sealed class FlowEngine(IReadOnlyDictionary<string, IFlowNodeExecutor> executors)
{
    /// <summary>Runs a whole task from its start node and sets the final workflow status (§3.3).</summary>
    public async Task ProcessAsync(FlowTask task, FlowContext context)
    {
        try
        {
            await ExecuteNodeAsync(task.Document!.Start!, context).ConfigureAwait(false);
            task.FinishWorkflow(FlowGramStatus.Succeeded);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            task.FinishWorkflow(FlowGramStatus.Failed);
        }
    }

    /// <summary>Executes one node, then its runnable next nodes concurrently.</summary>
    public async Task ExecuteNodeAsync(FlowNode node, FlowContext context)
    {
        var task = context.Task;
        task.ProcessNode(node.Id);
        var snapshot = task.AddSnapshot(node);
        List<FlowNode> next;
        List<FlowNode> runnable;
        try
        {
            var inputs = FlowValues.ParseInputs(node.Inputs, node.InputsValues, context.Store);
            snapshot.Inputs = inputs;
            if (!executors.TryGetValue(node.Type, out var executor))
            {
                throw new FlowGramException($"No executor found for node type {node.Type}");
            }

            NodeResult result;
            try
            {
                result = await executor.ExecuteAsync(new NodeRun { Node = node, Inputs = inputs, Context = context, Snapshot = snapshot, Engine = this }, task.Aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (task.IsTerminated)
            {
                // Deliberate deviation: we abort running work on cancel; the reference lets it finish and then
                // discards it (step 5), so an aborted node is recorded exactly like a discarded one.
                return;
            }

            if (task.IsTerminated)
            {
                return;
            }

            snapshot.Outputs = result.Outputs;
            snapshot.Branch = result.Branch;
            SetNodeOutputs(node, result.Outputs, context.Store);
            task.FinishNode(node.Id, FlowGramStatus.Succeeded);
            lock (context.Gate)
            {
                context.Executed.Add(node.Id);
                next = NextNodes(node, result.Branch, context);
                runnable = [.. next.Where(n => n.Prev.All(p => context.Executed.Contains(p.From.Id)))];
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            snapshot.Error = ex.Message;
            task.AddError(ex.Message, node.Id);
            task.FinishNode(node.Id, FlowGramStatus.Failed);
            throw;
        }

        if (node.IsTerminating)
        {
            return;
        }

        if (next.Count == 0)
        {
            throw new FlowGramException($"Node \"{node.Id}\" has no next nodes");
        }

        await WhenAllFailFast([.. runnable.Select(n => ExecuteNodeAsync(n, context))]).ConfigureAwait(false);
    }

    /// <summary>Stores the declared outputs as variables, with parsed defaults (§1.6).</summary>
    public static void SetNodeOutputs(FlowNode node, JsObject outputs, VariableStore store)
    {
        if (node.Outputs?.GetValueOrDefault("properties") is not JsObject properties)
        {
            return;
        }

        foreach (var (key, raw) in properties)
        {
            var property = raw as JsObject ?? [];
            var type = property.GetValueOrDefault("type") as string;
            var value = outputs.GetValueOrDefault(key, Js.Undefined);
            if (Js.IsNil(value))
            {
                value = property.TryGetValue("default", out var dflt) ? FlowValues.ParseDeclared(dflt, type) : Js.Undefined;
            }

            var itemsType = (property.GetValueOrDefault("items") as JsObject)?.GetValueOrDefault("type") as string;
            store.Set(node.Id, key, new Variable(value, type, itemsType));
        }
    }

    private static List<FlowNode> NextNodes(FlowNode node, string? branch, FlowContext context)
    {
        var all = node.Next.Select(e => e.To).ToList();
        if (branch is null)
        {
            return all;
        }

        var ported = node.Next.Where(e => e.SourcePort == branch).Select(e => e.To).ToHashSet();
        if (ported.Count == 0)
        {
            throw new FlowGramException($"Branch \"{branch}\" not found");
        }

        var taken = all.Where(ported.Contains).ToList();
        var skipped = all.Where(n => !ported.Contains(n)).Distinct().ToList();
        var keep = new HashSet<FlowNode>();
        foreach (var n in taken)
        {
            AddWithSuccessors(n, keep);
        }

        var skip = new HashSet<FlowNode>();
        foreach (var n in skipped)
        {
            AddWithSuccessors(n, skip);
        }

        foreach (var n in skip.Where(n => !keep.Contains(n)))
        {
            context.Executed.Add(n.Id);
        }

        return taken;
    }

    private static void AddWithSuccessors(FlowNode node, HashSet<FlowNode> set)
    {
        if (!set.Add(node))
        {
            return;
        }

        foreach (var edge in node.Next)
        {
            AddWithSuccessors(edge.To, set);
        }
    }

    /// <summary>Like <c>Promise.all</c>: fails as soon as one task fails; the others keep running.</summary>
    private static async Task WhenAllFailFast(List<Task> tasks)
    {
        while (tasks.Count > 0)
        {
            var done = await Task.WhenAny(tasks).ConfigureAwait(false);
            await done.ConfigureAwait(false);
            tasks.Remove(done);
        }
    }
}
