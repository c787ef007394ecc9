using AgentFlow.Cli.Progress;
using AgentFlow.Core.Execution;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;

namespace AgentFlow.Cli.Commands;

/// <summary>Shows an execution's progress until it ends, then prints its outputs (or report) and picks the exit code.</summary>
internal static class ExecutionFollower
{
    /// <param name="detachOnInterrupt">
    /// On Ctrl+C, leave a durable execution as it is (resumable later) instead of cancelling it.
    /// </param>
    public static async Task<int> FollowAsync(WorkflowRuntime runtime, ExecutionHandle handle, IProgressView view, bool report, bool detachOnInterrupt, CliConsole console, CancellationToken cancellationToken)
    {
        var watching = view.FollowAsync(handle, CancellationToken.None);
        ExecutionResult result;
        try
        {
            result = await handle.Completion.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (detachOnInterrupt)
            {
                await console.Error.WriteLineAsync($"interrupted: execution {handle.ExecutionId} is left as it is; resume it with 'agentflow runs resume {handle.ExecutionId}'.");
                return ExitCodes.Interrupted;
            }

            await handle.CancelAsync(CancellationToken.None);
            await handle.Completion;
            await watching;
            return ExitCodes.Interrupted;
        }
        catch (ExecutionOwnershipLostException lost)
        {
            await watching;
            await console.Error.WriteLineAsync($"error: execution {handle.ExecutionId} was taken over by another process (this one lost its lease: {lost.InnerException?.Message}); it continues there, nothing more was recorded here. Follow it with 'agentflow runs show {handle.ExecutionId}'.");
            return ExitCodes.OwnershipLost;
        }

        await watching;
        if (report)
        {
            var executionReport = await runtime.GetReportAsync(handle.ExecutionId, CancellationToken.None);
            await console.Out.WriteLineAsync(executionReport!.ToJson(indented: true));
        }
        else if (result.Status == ExecutionStatus.Succeeded)
        {
            await console.Out.WriteLineAsync(result.Outputs.ToJson(indented: true));
        }

        if (result.Status == ExecutionStatus.Paused)
        {
            await console.Error.WriteLineAsync($"execution {handle.ExecutionId} is paused; continue it with 'agentflow runs resume-paused {handle.ExecutionId}'.");
        }

        if (result.Status != ExecutionStatus.Succeeded && result.Error is { } failure)
        {
            var where = result.FailedNodeId is null ? string.Empty : $" at node '{result.FailedNodeId}'";
            await console.Error.WriteLineAsync($"error: workflow {ExecutionReport.StatusName(result.Status)}{where}: {failure.Code}: {failure.Message}");
        }

        return result.Status == ExecutionStatus.Succeeded ? ExitCodes.Success : ExitCodes.WorkflowFailed;
    }
}
