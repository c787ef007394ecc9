using AgentFlow.Cli.Progress;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;

namespace AgentFlow.Cli.Commands;

/// <summary>
/// <c>runs pause</c>, <c>runs resume-paused</c> and <c>runs retry</c>. A request that does not fit the execution's
/// state (pausing one that ended, retrying one that did not fail) is one line on stderr and exit code 1.
/// </summary>
internal static class RunsControlActions
{
    public static Task<int> PauseAsync(string db, string id, string? reason, CliConsole console, CancellationToken cancellationToken) =>
        RunsActions.WithHostAsync(db, console, async host =>
        {
            var outcome = await host.PauseAsync(id, reason, cancellationToken);
            return await ReportAsync(outcome, id, "paused", "already paused", console);
        }, cancellationToken);

    public static Task<int> ResumePausedAsync(string db, string id, bool quiet, CliConsole console, CancellationToken cancellationToken) =>
        RunsActions.WithHostAsync(db, console, async host =>
        {
            var outcome = await host.ResumePausedAsync(id, cancellationToken);
            if (outcome == ControlOutcome.Applied && host.Runtime.GetHandle(id) is { } handle)
            {
                // It was nobody's: it now runs in this process, which follows it to the end as 'runs resume' does.
                return await FollowAsync(host, handle, quiet, console, cancellationToken);
            }

            return await ReportAsync(outcome, id, "resumed", "already running", console);
        }, cancellationToken);

    public static Task<int> RetryAsync(string db, string id, bool quiet, CliConsole console, CancellationToken cancellationToken) =>
        RunsActions.WithHostAsync(db, console, async host =>
        {
            var handle = await host.RetryAsync(id, cancellationToken);
            return handle is null ? await RunsActions.UnknownAsync(id, console) : await FollowAsync(host, handle, quiet, console, cancellationToken);
        }, cancellationToken);

    private static Task<int> FollowAsync(WorkflowHost host, ExecutionHandle handle, bool quiet, CliConsole console, CancellationToken cancellationToken)
    {
        IProgressView view = quiet ? new SilentProgressView() : new LineProgressView(console.Error);
        return ExecutionFollower.FollowAsync(host.Runtime, handle, view, report: false, detachOnInterrupt: true, console, cancellationToken);
    }

    private static async Task<int> ReportAsync(ControlOutcome outcome, string id, string done, string unchanged, CliConsole console)
    {
        switch (outcome)
        {
            case ControlOutcome.Unknown:
                return await RunsActions.UnknownAsync(id, console);
            case ControlOutcome.Requested:
                await console.Error.WriteLineAsync($"execution {id} runs in another process; the request is in its inbox.");
                return ExitCodes.Success;
            case ControlOutcome.Unchanged:
                await console.Error.WriteLineAsync($"execution {id} is {unchanged}; nothing changed.");
                return ExitCodes.Success;
            default:
                await console.Error.WriteLineAsync($"execution {id} {done}.");
                return ExitCodes.Success;
        }
    }
}
