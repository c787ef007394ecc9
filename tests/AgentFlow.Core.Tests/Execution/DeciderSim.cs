using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;
using AgentFlow.Testing;

namespace AgentFlow.Core.Tests.Execution;

/// <summary>
/// Drives the pure decider the way the runtime would, without threads: decisions become events at once.
/// Node outcomes come from <see cref="Outcome"/> (default: success with the parameters as output).
/// </summary>
internal sealed class DeciderSim
{
    public DeciderSim(WorkflowDefinition definition, string executionId = "exec-1")
    {
        Graph = CompiledGraph.Compile(definition);
        Decider = new Decider(Graph, Time);
        State = new ExecutionState(Graph);
        ExecutionId = executionId;
    }

    public FakeTimeProvider Time { get; } = new();

    public CompiledGraph Graph { get; }

    public Decider Decider { get; }

    public ExecutionState State { get; private set; }

    public string ExecutionId { get; }

    public List<ExecutionEvent> Log { get; } = [];

    /// <summary>Returns the error for an attempt, or null for success.</summary>
    public Func<string, int, ErrorInfo?> Outcome { get; set; } = (_, _) => null;

    /// <summary>Every decision made, in order.</summary>
    public List<Decision> Decisions { get; } = [];

    public long Next => State.LastSequence + 1;

    public DateTimeOffset Now => Time.GetUtcNow();

    public IReadOnlyList<Decision> Start(Value inputs = default) =>
        Apply(new ExecutionStarted(ExecutionId, Next, Now, Graph.Definition.Id, 1, inputs.IsNull ? Value.EmptyObject : inputs));

    public IReadOnlyList<Decision> Apply(ExecutionEvent e)
    {
        State.Apply(e);
        Log.Add(e);
        var decisions = Decider.Decide(State, e);
        Decisions.AddRange(decisions);
        return decisions;
    }

    /// <summary>Starts the execution and processes every decision until nothing is left (retries fire immediately).</summary>
    public ExecutionState RunToEnd(Value inputs = default)
    {
        var queue = new Queue<Decision>(Start(inputs));
        Drain(queue);
        return State;
    }

    public void Drain(Queue<Decision> queue)
    {
        while (queue.TryDequeue(out var decision) && !State.IsFinished)
        {
            foreach (var next in Execute(decision))
            {
                queue.Enqueue(next);
            }
        }
    }

    private IEnumerable<Decision> Execute(Decision decision)
    {
        switch (decision)
        {
            case StartNode s when State.GetNode(s.NodeId)!.Status is NodeStatus.Pending or NodeStatus.Waiting:
                {
                    var result = new List<Decision>(Apply(new NodeStarted(ExecutionId, Next, Now, s.NodeId, s.Attempt, s.Parameters)));
                    var error = Outcome(s.NodeId, s.Attempt);
                    result.AddRange(error is null
                        ? Apply(new NodeSucceeded(ExecutionId, Next, Now, s.NodeId, s.Attempt, s.Parameters))
                        : Fail(s.NodeId, s.Attempt, error));
                    return result;
                }

            case CompleteNode c when State.GetNode(c.NodeId)!.Status == NodeStatus.Pending:
                Apply(new NodeStarted(ExecutionId, Next, Now, c.NodeId, c.Attempt, c.Parameters));
                return Apply(new NodeSucceeded(ExecutionId, Next, Now, c.NodeId, c.Attempt, c.Output, c.Branch));
            case FailNode f when State.GetNode(f.NodeId)!.Status is NodeStatus.Pending or NodeStatus.Waiting:
                Apply(new NodeStarted(ExecutionId, Next, Now, f.NodeId, f.Attempt, f.Parameters));
                return Fail(f.NodeId, f.Attempt, f.Error);
            case SkipNode k when State.GetNode(k.NodeId)!.Status == NodeStatus.Pending:
                return Apply(new NodeSkipped(ExecutionId, Next, Now, k.NodeId, k.Reason));
            case ScheduleRetry r:
                Time.Advance(r.DueAt - Now);
                return [Decider.PrepareStart(State, Graph.IndexOf(r.NodeId), r.Attempt)];
            case CompleteExecution c:
                return Apply(new ExecutionCompleted(ExecutionId, Next, Now, c.Outputs));
            case FailExecution f:
                return Apply(new ExecutionFailed(ExecutionId, Next, Now, f.Error, f.NodeId));
            case CancelExecution:
                return Apply(new ExecutionCancelled(ExecutionId, Next, Now));
            case CancelNode c:
                return Apply(new NodeCancelled(ExecutionId, Next, Now, c.NodeId, State.GetNode(c.NodeId)!.Attempt));
            default:
                return [];
        }
    }

    public IReadOnlyList<Decision> Fail(string nodeId, int attempt, ErrorInfo error)
    {
        var resolution = Decider.ResolveFailure(State, nodeId, attempt, error, Now);
        var result = new List<Decision>(Apply(new NodeFailed(ExecutionId, Next, Now, nodeId, attempt, resolution.Error, resolution.WillRetry, resolution.Output)));
        if (resolution.WillRetry)
        {
            result.AddRange(Apply(new NodeRetryScheduled(ExecutionId, Next, Now, nodeId, resolution.NextAttempt, resolution.DueAt)));
        }

        return result;
    }

    public NodeStatus StatusOf(string nodeId) => State.GetNode(nodeId)!.Status;
}
