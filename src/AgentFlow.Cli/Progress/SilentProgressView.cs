using AgentFlow.Runtime;

namespace AgentFlow.Cli.Progress;

/// <summary>Shows nothing (<c>--quiet</c>).</summary>
internal sealed class SilentProgressView : IProgressView
{
    public Task FollowAsync(ExecutionHandle handle, CancellationToken cancellationToken) => Task.CompletedTask;
}
