using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Hosting;
using AgentFlow.Stores.InMemory;
using AgentFlow.Testing;

namespace AgentFlow.Runtime.Tests.Hosting;

/// <summary>Every lease a claim returns is renewed from the claim on, not only once its execution is adopted.</summary>
public sealed class ClaimRenewalTests
{
    private const string Greet = "id: greet\nnodes:\n  - id: a\n    kind: noop\n";

    [Fact]
    public async Task ClaimedBatch_RenewedWhileAdoptionIsStalled_NoOtherWorkerCanClaimIt()
    {
        var time = new FakeTimeProvider();
        await using var inner = new InMemoryWorkflowStore(time);
        var saved = await inner.SaveDefinitionAsync("greet", DefinitionFormats.Yaml, Greet, CancellationToken.None);
        foreach (var id in new[] { "o1", "o2", "o3" })
        {
            await inner.AppendAsync(id, 0, [new ExecutionStarted(id, 1, time.GetUtcNow(), "greet", saved.Definition.Version, Value.EmptyObject)], CancellationToken.None);
        }

        var store = new StalledDefinitionStore(inner);
        using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store, TimeProvider = time });
        var lease = TimeSpan.FromSeconds(3);
        await using var host = new WorkflowHost(runtime, new WorkflowHostOptions { OwnerId = "w1", LeaseDuration = lease, PollInterval = TimeSpan.FromMilliseconds(500) });
        using var stop = new CancellationTokenSource();

        var working = host.RunAsync(stop.Token);

        // w1 claimed all three and is stuck adopting the first one (loading its definition).
        await store.Entered.Task.WaitAsync(RuntimeFixture.Guard);
        for (var i = 0; i < 30; i++)
        {
            // Ten lease durations pass, in heartbeat-sized steps; each step lets the heartbeat run.
            time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(10);
        }

        foreach (var id in new[] { "o1", "o2", "o3" })
        {
            Assert.Null(await inner.TryAcquireLeaseAsync(id, "w2", lease, CancellationToken.None));
        }

        Assert.Empty(await inner.ClaimRunnableExecutionsAsync("w2", 10, lease, CancellationToken.None));

        store.Release.SetResult();
        foreach (var id in new[] { "o1", "o2", "o3" })
        {
            using var guard = new CancellationTokenSource(RuntimeFixture.Guard);
            while (await inner.GetExecutionAsync(id, guard.Token) is not { IsTerminal: true })
            {
                await Task.Delay(5, guard.Token);
            }

            Assert.Equal(ExecutionStatus.Succeeded, (await inner.GetExecutionAsync(id, CancellationToken.None))!.Status);
        }

        await stop.CancelAsync();
        await working;
    }

    /// <summary>Delegates to a store, holding the first definition load until released (a slow adoption).</summary>
    private sealed class StalledDefinitionStore(InMemoryWorkflowStore inner) : IWorkflowStore
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<bool> DeleteDefinitionAsync(string workflowId, CancellationToken cancellationToken) => inner.DeleteDefinitionAsync(workflowId, cancellationToken);

        public async ValueTask<StoredDefinition?> GetDefinitionAsync(string workflowId, int version, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return await inner.GetDefinitionAsync(workflowId, version, cancellationToken);
        }

        public ValueTask AppendAsync(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events, CancellationToken cancellationToken) => inner.AppendAsync(executionId, expectedSequence, events, cancellationToken);

        public ValueTask<IReadOnlyList<ExecutionEvent>> ReadAsync(string executionId, long fromSequence, CancellationToken cancellationToken) => inner.ReadAsync(executionId, fromSequence, cancellationToken);

        public IAsyncEnumerable<ExecutionSummary> ListExecutionsAsync(CancellationToken cancellationToken) => inner.ListExecutionsAsync(cancellationToken);

        public IAsyncEnumerable<StoredDefinition> ListDefinitionsAsync(CancellationToken cancellationToken) => inner.ListDefinitionsAsync(cancellationToken);

        public ValueTask ScheduleTimerAsync(DurableTimer timer, CancellationToken cancellationToken) => inner.ScheduleTimerAsync(timer, cancellationToken);

        public ValueTask<DefinitionSaveResult> SaveDefinitionAsync(string workflowId, string format, string source, CancellationToken cancellationToken) => inner.SaveDefinitionAsync(workflowId, format, source, cancellationToken);

        public ValueTask<ExecutionLease?> RenewLeaseAsync(string executionId, string ownerId, TimeSpan duration, CancellationToken cancellationToken) => inner.RenewLeaseAsync(executionId, ownerId, duration, cancellationToken);

        public ValueTask<ExecutionLease?> TryAcquireLeaseAsync(string executionId, string ownerId, TimeSpan duration, CancellationToken cancellationToken) => inner.TryAcquireLeaseAsync(executionId, ownerId, duration, cancellationToken);

        public ValueTask<ExecutionPage> QueryExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken) => inner.QueryExecutionsAsync(query, cancellationToken);

        public ValueTask<ExecutionRecord?> GetExecutionAsync(string executionId, CancellationToken cancellationToken) => inner.GetExecutionAsync(executionId, cancellationToken);

        public ValueTask<IReadOnlyList<DurableTimer>> ClaimDueTimersAsync(string ownerId, int maxCount, TimeSpan claimFor, CancellationToken cancellationToken) => inner.ClaimDueTimersAsync(ownerId, maxCount, claimFor, cancellationToken);

        public ValueTask<IReadOnlyList<ExecutionLease>> ClaimRunnableExecutionsAsync(string ownerId, int maxCount, TimeSpan duration, CancellationToken cancellationToken) => inner.ClaimRunnableExecutionsAsync(ownerId, maxCount, duration, cancellationToken);

        public ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsAsync(string executionId, CancellationToken cancellationToken) => inner.ReadPendingSignalsAsync(executionId, cancellationToken);

        public ValueTask<SignalSendResult> SendSignalAsync(string executionId, string name, string payloadJson, string? deduplicationId, CancellationToken cancellationToken) => inner.SendSignalAsync(executionId, name, payloadJson, deduplicationId, cancellationToken);

        public ValueTask<StoredDefinition?> GetLatestDefinitionAsync(string workflowId, CancellationToken cancellationToken) => inner.GetLatestDefinitionAsync(workflowId, cancellationToken);

        public ValueTask<bool> DeleteTimerAsync(string executionId, string timerId, CancellationToken cancellationToken) => inner.DeleteTimerAsync(executionId, timerId, cancellationToken);

        public ValueTask<bool> MarkSignalDeliveredAsync(string executionId, long signalId, CancellationToken cancellationToken) => inner.MarkSignalDeliveredAsync(executionId, signalId, cancellationToken);

        public ValueTask<bool> ReleaseLeaseAsync(string executionId, string ownerId, CancellationToken cancellationToken) => inner.ReleaseLeaseAsync(executionId, ownerId, cancellationToken);

        public ValueTask<bool> SetLabelsAsync(string executionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) => inner.SetLabelsAsync(executionId, labels, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
