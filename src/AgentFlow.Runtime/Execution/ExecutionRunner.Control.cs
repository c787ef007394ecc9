using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;

namespace AgentFlow.Runtime.Execution;

/// <summary>
/// Pause and resume. A paused execution starts nothing new; once no attempt is in flight any more its loop stops
/// (like a detach, its log says <c>paused</c>), so it holds no slot and no lease until someone resumes it.
/// </summary>
#pragma warning disable CA1001 // See ExecutionRunner.cs: _cts outlives the loop on purpose.
internal sealed partial class ExecutionRunner
#pragma warning restore CA1001
{
    /// <summary>Asks the loop to pause; the reply carries the status the execution had when the loop handled it.</summary>
    public void RequestPause(string? reason, TaskCompletionSource<ExecutionStatus>? reply) => Post(new PauseRequested(reason, reply));

    /// <summary>Asks the loop to resume; the reply carries the status the execution had when the loop handled it.</summary>
    public void RequestResume(TaskCompletionSource<ExecutionStatus>? reply) => Post(new ResumeRequested(reply));

    private void OnPauseRequested(string? reason, TaskCompletionSource<ExecutionStatus>? reply)
    {
        var before = _state.Status;
        if (before == ExecutionStatus.Running)
        {
            Emit(new ExecutionPaused(ExecutionId, NextSequence, Stamp, reason));

            // A resume or cancel already waiting in the inbox is seen before the loop parks.
            _signalCheckRequested = true;
        }

        reply?.TrySetResult(before);
    }

    private void OnResumeRequested(TaskCompletionSource<ExecutionStatus>? reply)
    {
        var before = _state.Status;
        if (before == ExecutionStatus.Paused)
        {
            Emit(new ExecutionResumed(ExecutionId, NextSequence, Stamp));
            _signalCheckRequested = true;
        }

        reply?.TrySetResult(before);
    }

    /// <summary>Handles the reserved pause and resume signals sent by processes that do not own the execution.</summary>
    private bool TryHandleControlSignal(StoredSignal signal)
    {
        switch (signal.Name)
        {
            case WorkflowRuntime.PauseSignalName:
                OnPauseRequested(ReasonOf(signal.PayloadJson), null);
                return true;
            case WorkflowRuntime.ResumeSignalName:
                OnResumeRequested(null);
                return true;
            default:
                return false;
        }
    }

    /// <summary>True once a paused execution has nothing in flight and no inbox read pending: the loop can stop.</summary>
    private bool CanPark()
    {
        if (_state.Status != ExecutionStatus.Paused || _signalCheckRequested || _fetchingSignals || _dispatch.Count > 0 || _nextDecision < _decisions.Count)
        {
            return false;
        }

        foreach (var inFlight in _inFlight)
        {
            if (inFlight)
            {
                return false;
            }
        }

        return true;
    }

    private static string? ReasonOf(string payloadJson)
    {
        try
        {
            var value = Core.Values.Value.Parse(payloadJson);
            return value.Kind == Core.Values.ValueKind.String ? value.AsString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
