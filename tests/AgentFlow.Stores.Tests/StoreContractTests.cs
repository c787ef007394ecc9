using AgentFlow.Core.Persistence;
using AgentFlow.Testing;

namespace AgentFlow.Stores.Tests;

/// <summary>
/// The behaviour every <see cref="IWorkflowStore"/> must have. A store's test class derives from this and only says
/// how to create a fresh, empty store on the given clock.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(T0);

    protected IWorkflowStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>A new, empty store whose "now" is <paramref name="time"/>.</summary>
    protected abstract Task<IWorkflowStore> CreateStoreAsync(TimeProvider time);

    public async Task InitializeAsync() => Store = await CreateStoreAsync(Time);

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    /// <summary>Starts an execution (one <c>ExecutionStarted</c> event).</summary>
    protected async Task StartAsync(string executionId, DateTimeOffset? at = null, string workflowId = "wf", string? parent = null) =>
        await Store.AppendAsync(executionId, 0, [TestEvents.Started(executionId, at ?? T0, workflowId, parent: parent)], Ct);
}
