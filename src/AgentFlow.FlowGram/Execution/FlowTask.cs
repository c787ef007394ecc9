using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Execution;

/// <summary>
/// One workflow run: statuses, snapshots, messages and outputs, shared by every scope of the run. All mutation goes
/// through this type under one lock, because parallel branches run on pool threads where the reference has one.
/// </summary>
internal sealed class FlowTask(string id, JsObject inputs, TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StatusData> _nodes = new(StringComparer.Ordinal);
    private readonly List<Snapshot> _snapshots = [];
    private readonly List<FlowMessage> _errors = [];
    private readonly CancellationTokenSource _cancel = new();

    public string Id { get; } = id;

    public JsObject Inputs { get; } = inputs;

    public JsObject Outputs { get; private set; } = [];

    public StatusData Workflow { get; } = new();

    public FlowDocument? Document { get; set; }

    public TimeProvider Time { get; } = time;

    /// <summary>Cancelled when the task is cancelled, so running HTTP, LLM and code work is aborted.</summary>
    public CancellationToken Aborted => _cancel.Token;

    public Task Completion { get; set; } = Task.CompletedTask;

    public bool IsTerminated
    {
        get
        {
            lock (_gate)
            {
                return Workflow.Terminated;
            }
        }
    }

    public long Now => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public void SetOutputs(JsObject outputs)
    {
        lock (_gate)
        {
            Outputs = outputs;
        }
    }

    public void StartWorkflow()
    {
        lock (_gate)
        {
            Workflow.Status = FlowGramStatus.Processing;
            Workflow.StartTime = Now;
            Workflow.EndTime = null;
        }
    }

    /// <summary>Moves the workflow to a terminal status unless it already has one.</summary>
    public void FinishWorkflow(string status)
    {
        lock (_gate)
        {
            if (!Workflow.Terminated)
            {
                Workflow.Status = status;
                Workflow.EndTime = Now;
            }
        }
    }

    /// <summary>Cancels the workflow and every processing node (§3.4); false when already terminal.</summary>
    public bool Cancel()
    {
        lock (_gate)
        {
            if (Workflow.Terminated)
            {
                return false;
            }

            var now = Now;
            Workflow.Status = FlowGramStatus.Canceled;
            Workflow.EndTime = now;
            foreach (var node in _nodes.Values.Where(n => n.Status == FlowGramStatus.Processing))
            {
                node.Status = FlowGramStatus.Canceled;
                node.EndTime = now;
            }
        }

        _cancel.Cancel();
        return true;
    }

    public void ProcessNode(string nodeId)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(nodeId, out var status))
            {
                _nodes[nodeId] = status = new StatusData();
            }

            status.Status = FlowGramStatus.Processing;
            status.StartTime = Now;
            status.EndTime = null;
        }
    }

    /// <summary>Ends a node with <paramref name="status"/>; a no-op when it is already terminal.</summary>
    public void FinishNode(string nodeId, string status)
    {
        lock (_gate)
        {
            if (_nodes.TryGetValue(nodeId, out var data) && !data.Terminated)
            {
                data.Status = status;
                data.EndTime = Now;
            }
        }
    }

    public Snapshot AddSnapshot(FlowNode node)
    {
        var snapshot = new Snapshot { Id = Guid.NewGuid().ToString(), NodeId = node.Id, Data = node.Data };
        lock (_gate)
        {
            _snapshots.Add(snapshot);
        }

        return snapshot;
    }

    public void AddError(string message, string? nodeId = null)
    {
        lock (_gate)
        {
            _errors.Add(new FlowMessage(Guid.NewGuid().ToString(), "error", message, nodeId, Now));
        }
    }

    /// <summary>A consistent copy of the mutable state for a report.</summary>
    public (StatusData Workflow, List<(string Id, StatusData Status)> Nodes, List<Snapshot> Snapshots, List<FlowMessage> Errors, JsObject Outputs) Read()
    {
        lock (_gate)
        {
            var workflow = new StatusData { Status = Workflow.Status, StartTime = Workflow.StartTime, EndTime = Workflow.EndTime };
            var nodes = _nodes.Select(n => (n.Key, new StatusData { Status = n.Value.Status, StartTime = n.Value.StartTime, EndTime = n.Value.EndTime })).ToList();
            return (workflow, nodes, [.. _snapshots], [.. _errors], Outputs);
        }
    }

    public void Dispose() => _cancel.Dispose();
}
