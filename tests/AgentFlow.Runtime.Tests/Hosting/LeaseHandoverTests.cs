using AgentFlow.Core.Values;
using AgentFlow.Runtime.Hosting;
using AgentFlow.Stores.InMemory;
using AgentFlow.Testing;

namespace AgentFlow.Runtime.Tests.Hosting;

/// <summary>
/// Giving leases back after executions finish: one execution's turn never waits for another's, so a slow store cannot
/// make finished runs (each holding its whole state) pile up behind a fixed number of turns.
/// </summary>
public sealed class LeaseHandoverTests
{
    private const string Quick = "id: quick\nnodes:\n  - id: a\n    kind: noop\n";

    [Fact]
    public async Task SlowReleases_OfManyFinishedExecutions_AreAllInFlightAtOnce()
    {
        const int executions = 100;
        await using var inner = new InMemoryWorkflowStore();
        var store = new HeldReleaseStore(inner, executions);
        using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
        await using var host = new WorkflowHost(runtime);
        var definition = Core.Dsl.WorkflowLoader.Load(Quick, "quick.yaml", StandardNodes.Catalog).Definition!;

        for (var i = 0; i < executions; i++)
        {
            var handle = await host.StartAsync(definition, Value.EmptyObject, new StartOptions { ExecutionId = $"q{i}" }, CancellationToken.None);
            await handle.Completion.WaitAsync(RuntimeFixture.Guard);
        }

        // Every finished execution asks the store to release its lease while none of the releases has returned yet.
        await store.AllInFlight.Task.WaitAsync(RuntimeFixture.Guard);
        store.Proceed.SetResult();
        await store.AllReleased.Task.WaitAsync(RuntimeFixture.Guard);

        for (var i = 0; i < executions; i++)
        {
            Assert.NotNull(await inner.TryAcquireLeaseAsync($"q{i}", "other", TimeSpan.FromMinutes(1), CancellationToken.None));
        }
    }

    [Fact]
    public async Task SameExecution_TurnsAreTakenInArrivalOrder_AndTheGateEmpties()
    {
        var gate = new LeaseHandoverGate();
        var order = new List<int>();
        var first = await gate.EnterAsync("e", CancellationToken.None);
        var second = TakeTurnAsync(2);
        var third = TakeTurnAsync(3);
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);

        using (await gate.EnterAsync("other", CancellationToken.None))
        {
            // A different execution is not held up by e's turn.
        }

        first.Dispose();
        await Task.WhenAll(second, third).WaitAsync(RuntimeFixture.Guard);
        Assert.Equal([2, 3], order);
        Assert.Equal(0, gate.HeldCount);

        async Task TakeTurnAsync(int label)
        {
            using var turn = await gate.EnterAsync("e", CancellationToken.None);
            lock (order)
            {
                order.Add(label);
            }
        }
    }

    [Fact]
    public async Task CancelledWaiter_IsSkipped_AndTheNextWaiterGetsTheTurn()
    {
        var gate = new LeaseHandoverGate();
        var held = await gate.EnterAsync("e", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.EnterAsync("e", cancel.Token).AsTask();
        var next = gate.EnterAsync("e", CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(RuntimeFixture.Guard));
        Assert.False(next.IsCompleted);

        held.Dispose();
        (await next.WaitAsync(RuntimeFixture.Guard)).Dispose();
        Assert.Equal(0, gate.HeldCount);
    }

    /// <summary>Holds every lease release until <see cref="Proceed"/>; signals once <paramref name="expected"/> are waiting.</summary>
    private sealed class HeldReleaseStore(InMemoryWorkflowStore inner, int expected) : DelegatingWorkflowStore(inner)
    {
        private int _waiting;
        private int _released;

        public TaskCompletionSource AllInFlight { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Proceed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource AllReleased { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<bool> ReleaseLeaseAsync(string executionId, string ownerId, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _waiting) == expected)
            {
                AllInFlight.TrySetResult();
            }

            await Proceed.Task.WaitAsync(cancellationToken);
            var released = await base.ReleaseLeaseAsync(executionId, ownerId, cancellationToken);
            if (Interlocked.Increment(ref _released) == expected)
            {
                AllReleased.TrySetResult();
            }

            return released;
        }
    }
}
