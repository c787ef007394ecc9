using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Executors;

namespace AgentFlow.Runtime.Execution;

/// <summary>
/// Wait nodes and the signal inbox. Delivery is recorded in the log (<see cref="SignalReceived"/>) before the inbox
/// entry is marked delivered, so a crash in between re-reads a signal the log already has, which is then only
/// acknowledged (the log keeps the ids it delivered): each signal reaches exactly one wait, once.
/// </summary>
internal sealed partial class ExecutionRunner
{
    private readonly List<long> _signalAcks = [];
    private bool _signalCheckRequested;
    private bool _fetchingSignals;

    /// <summary>Tells the loop to read the inbox once more (for waits, and for cancel requests from other processes).</summary>
    public void NotifySignals() => Post(SignalsAvailable.Instance);

    private bool IsSignalWaiter(NodeState node) =>
        _graph.Nodes[node.Index].Kind == NodeKinds.Wait
        && (node.Status == NodeStatus.Running || (node.Status == NodeStatus.Waiting && node.WaitingOnTimer));

    /// <summary>Begins a wait: arms its timeout as a durable timer and looks at the inbox.</summary>
    private void BeginWait(StartNode start, ISignalWaitNode wait)
    {
        try
        {
            wait.GetSignalName(start.Parameters);
            if (wait.GetTimeoutAt(start.Parameters, Now) is { } due && !_state.NodesByIndex[start.NodeIndex].WaitingOnTimer)
            {
                Emit(new TimerScheduled(ExecutionId, NextSequence, Stamp, start.NodeId, due));
            }
        }
        catch (NodeExecutionException ex)
        {
            RecordFailure(start.NodeIndex, start.Attempt, new ErrorInfo(ex.Code, ex.Message, ex.Details, ex.Retryable));
            return;
        }

        _signalCheckRequested = true;
    }

    /// <summary>Starts one inbox read when asked and none is under way; its result comes back through the loop's inbox.</summary>
    private void MaybeFetchSignals()
    {
        if (!_signalCheckRequested || _fetchingSignals || _state.IsFinished)
        {
            return;
        }

        _signalCheckRequested = false;
        _fetchingSignals = true;
        _ = FetchSignalsAsync();
    }

    private async Task FetchSignalsAsync()
    {
        IReadOnlyList<StoredSignal> signals;
        try
        {
            signals = await _runtime.Signals.ReadPendingSignalsAsync(ExecutionId, _cts.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed read is retried at the next notification or poll; the wait stays armed.
        catch (Exception)
#pragma warning restore CA1031
        {
            signals = [];
        }

        Post(new SignalsFetched(signals));
    }

    private void OnSignalsFetched(IReadOnlyList<StoredSignal> signals)
    {
        _fetchingSignals = false;
        foreach (var signal in signals)
        {
            if (_state.DeliveredSignals.Contains(signal.SignalId))
            {
                // Recorded before a crash but not acknowledged: acknowledge only.
                _signalAcks.Add(signal.SignalId);
                continue;
            }

            if (TryHandleControlSignal(signal))
            {
                _signalAcks.Add(signal.SignalId);
                continue;
            }

            if (signal.Name == WorkflowRuntime.CancelSignalName)
            {
                // A cancel from a process that does not own the execution travels through the inbox.
                if (_state.Status is ExecutionStatus.Running or ExecutionStatus.Paused)
                {
                    Emit(new ExecutionCancelRequested(ExecutionId, NextSequence, Stamp, "cancel requested through the signal inbox"));
                }

                _signalAcks.Add(signal.SignalId);
                continue;
            }

            var waiter = FindWaiter(signal.Name);
            if (waiter is null || _state.Status != ExecutionStatus.Running)
            {
                continue;
            }

            DisposeTimer(waiter.Index);
            Value payload;
            try
            {
                payload = Value.Parse(signal.PayloadJson);
            }
            catch (System.Text.Json.JsonException)
            {
                payload = Value.From(signal.PayloadJson);
            }

            Emit(new SignalReceived(ExecutionId, NextSequence, Stamp, waiter.NodeId, signal.Name, payload, signal.SignalId));
            Emit(new NodeSucceeded(ExecutionId, NextSequence, Stamp, waiter.NodeId, waiter.Attempt, payload));
            _signalAcks.Add(signal.SignalId);
        }
    }

    private NodeState? FindWaiter(string name)
    {
        if (!_runtime.Registry.TryGet(NodeKinds.Wait, out var executor) || executor is not ISignalWaitNode wait)
        {
            return null;
        }

        foreach (var node in _state.NodesByIndex)
        {
            if (IsSignalWaiter(node) && string.Equals(SafeSignalName(wait, node.Parameters), name, StringComparison.Ordinal))
            {
                return node;
            }
        }

        return null;
    }

    private static string? SafeSignalName(ISignalWaitNode wait, Value parameters)
    {
        try
        {
            return wait.GetSignalName(parameters);
        }
        catch (NodeExecutionException)
        {
            return null;
        }
    }

    /// <summary>Marks delivered the signals whose delivery the last append made durable.</summary>
    private async ValueTask AcknowledgeSignalsAsync()
    {
        try
        {
            foreach (var id in _signalAcks)
            {
                await _runtime.Signals.MarkSignalDeliveredAsync(ExecutionId, id, CancellationToken.None).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // An unacknowledged signal is harmless: the log names it, so the next read only acknowledges it.
        catch (Exception)
#pragma warning restore CA1031
        {
            _signalCheckRequested = true;
        }

        _signalAcks.Clear();
    }
}
