using AgentFlow.Runtime;

namespace AgentFlow.Cli.Progress;

/// <summary>Shows an execution's progress while it runs.</summary>
internal interface IProgressView
{
    /// <summary>Follows the execution's events until it ends.</summary>
    Task FollowAsync(ExecutionHandle handle, CancellationToken cancellationToken);
}
