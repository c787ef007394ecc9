using AgentFlow.Core.Building;
using AgentFlow.Core.Events;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Hosting;
using AgentFlow.Stores.InMemory;
using AgentFlow.Testing;

namespace AgentFlow.Runtime.Tests.Hosting;

/// <summary>
/// A host whose lease was taken over (its heartbeat did not get through in time) writes nothing more: its appends are
/// refused by the store, and the renewal that finds the lease gone stops the runner and cancels its work at once.
/// </summary>
public sealed class LeaseLossTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task StaleOwner_LeaseTakenBeforeItNoticed_ItsNextAppendIsRefusedAndNothingIsRecorded()
    {
        await using var setup = await Setup.CreateAsync();
        var definition = new WorkflowBuilder("w").Node("ask", "wait", with: Value.Object(("signal", "go"))).Node("after", "noop", needs: ["ask"]).Build();
        var handle = await setup.Host.StartAsync(definition, Value.EmptyObject, null, CancellationToken.None);
        var before = await WaitForStartedAsync(setup.Store.Inner, handle.ExecutionId, "ask");

        // The heartbeat stalls past expiry; another worker takes the lease; then a signal makes the stale runner write.
        await setup.StallHeartbeatAsync();
        setup.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.NotNull(await setup.Store.Inner.TryAcquireLeaseAsync(handle.ExecutionId, "w2", Lease, CancellationToken.None));
        await setup.Runtime.SignalAsync(handle.ExecutionId, "go", 1, CancellationToken.None);

        var lost = await Assert.ThrowsAsync<ExecutionOwnershipLostException>(() => handle.Completion.WaitAsync(RuntimeFixture.Guard));
        Assert.Equal(handle.ExecutionId, lost.LeaseLost?.LeaseExecutionId);
        Assert.Equal(before, await setup.Store.Inner.ReadAsync(handle.ExecutionId, 1, CancellationToken.None));
        Assert.Single(await setup.Store.Inner.ReadPendingSignalsAsync(handle.ExecutionId, CancellationToken.None));
        setup.Store.ResumeRenewals();
    }

    [Fact]
    public async Task Renewal_FindsTheLeaseTaken_RunnerStopsAndItsInFlightWorkIsCancelled()
    {
        await using var setup = await Setup.CreateAsync();
        var work = new CancellationProbe();
        setup.Runtime.Registry.Register("probe", work);
        var definition = new WorkflowBuilder("w").Node("call", "probe").Build();
        var handle = await setup.Host.StartAsync(definition, Value.EmptyObject, null, CancellationToken.None);
        await work.Entered.Task.WaitAsync(RuntimeFixture.Guard);
        var before = await setup.Store.Inner.ReadAsync(handle.ExecutionId, 1, CancellationToken.None);

        await setup.StallHeartbeatAsync();
        setup.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.NotNull(await setup.Store.Inner.TryAcquireLeaseAsync(handle.ExecutionId, "w2", Lease, CancellationToken.None));
        setup.Store.ResumeRenewals();

        await work.Cancelled.Task.WaitAsync(RuntimeFixture.Guard);
        var lost = await Assert.ThrowsAsync<ExecutionOwnershipLostException>(() => handle.Completion.WaitAsync(RuntimeFixture.Guard));
        Assert.NotNull(lost.LeaseLost);
        Assert.Equal(before, await setup.Store.Inner.ReadAsync(handle.ExecutionId, 1, CancellationToken.None));
        Assert.Null(setup.Runtime.GetHandle(handle.ExecutionId));
        Assert.Equal("w2", (await setup.Store.Inner.TryAcquireLeaseAsync(handle.ExecutionId, "w2", Lease, CancellationToken.None))?.OwnerId);
    }

    private static async Task<IReadOnlyList<ExecutionEvent>> WaitForStartedAsync(IWorkflowStore store, string executionId, string nodeId)
    {
        using var guard = new CancellationTokenSource(RuntimeFixture.Guard);
        while (true)
        {
            var log = await store.ReadAsync(executionId, 1, guard.Token);
            if (log.Any(e => e is NodeStarted started && started.NodeId == nodeId))
            {
                return log;
            }

            await Task.Delay(5, guard.Token);
        }
    }

    /// <summary>A host "w1" on a fake clock over an in-memory store whose lease renewals a test can hold back.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private Setup(FakeTimeProvider time, RenewalGateStore store, WorkflowRuntime runtime, WorkflowHost host) => (Time, Store, Runtime, Host) = (time, store, runtime, host);

        public FakeTimeProvider Time { get; }

        public RenewalGateStore Store { get; }

        public WorkflowRuntime Runtime { get; }

        public WorkflowHost Host { get; }

        public static Task<Setup> CreateAsync()
        {
            var time = new FakeTimeProvider();
            var store = new RenewalGateStore(new InMemoryWorkflowStore(time));
            var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store, TimeProvider = time });
            var host = new WorkflowHost(runtime, new WorkflowHostOptions { OwnerId = "w1", LeaseDuration = Lease, PollInterval = TimeSpan.FromSeconds(1) });
            return Task.FromResult(new Setup(time, store, runtime, host));
        }

        /// <summary>Holds renewals back and moves the clock until the heartbeat is stuck in one.</summary>
        public async Task StallHeartbeatAsync()
        {
            var held = Store.StallRenewals();
            using var guard = new CancellationTokenSource(RuntimeFixture.Guard);
            while (!held.IsCompleted)
            {
                Time.Advance(TimeSpan.FromMilliseconds(500));
                await Task.Delay(10, guard.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            Store.ResumeRenewals();
            await Host.DisposeAsync();
            Runtime.Dispose();
        }
    }

    /// <summary>Holds lease renewals back while stalled (a heartbeat that does not get through), then lets them reach the store.</summary>
    private sealed class RenewalGateStore(IWorkflowStore inner) : DelegatingWorkflowStore(inner)
    {
        private volatile TaskCompletionSource? _stalled;
        private volatile TaskCompletionSource? _held;

        /// <summary>Stalls renewals; the task completes once one is being held.</summary>
        public Task StallRenewals()
        {
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _held.Task;
        }

        public void ResumeRenewals() => Interlocked.Exchange(ref _stalled, null)?.TrySetResult();

        public override async ValueTask<IReadOnlyList<ExecutionLease>> RenewLeasesAsync(IReadOnlyCollection<string> executionIds, string ownerId, TimeSpan duration, CancellationToken cancellationToken)
        {
            if (_stalled is { } stalled)
            {
                _held?.TrySetResult();
                await stalled.Task.WaitAsync(cancellationToken);
            }

            return await base.RenewLeasesAsync(executionIds, ownerId, duration, cancellationToken);
        }
    }

    /// <summary>Work that runs until cancelled, reporting when it starts and when its token fires.</summary>
    private sealed class CancellationProbe : INodeExecutor
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
        {
            using var registration = cancellationToken.Register(() => Cancelled.TrySetResult());
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return Value.Null;
        }
    }
}
