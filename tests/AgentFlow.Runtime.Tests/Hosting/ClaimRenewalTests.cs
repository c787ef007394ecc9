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
    private sealed class StalledDefinitionStore(InMemoryWorkflowStore inner) : DelegatingWorkflowStore(inner)
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<StoredDefinition?> GetDefinitionAsync(string workflowId, int version, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return await base.GetDefinitionAsync(workflowId, version, cancellationToken);
        }
    }
}
