using AgentFlow.Core.Dsl;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;
using AgentFlow.Stores.InMemory;
using AgentFlow.Stores.Sqlite;
using AgentFlow.Stores.Tests.Postgres;
using AgentFlow.Testing;

namespace AgentFlow.Stores.Tests.Hosting;

/// <summary>
/// Hosts wake on the store's announcements and on durable timers, not on their safety poll: the poll is set to ten
/// minutes of a fake clock that the signal test never moves, so only a notification can explain a wake-up.
/// </summary>
public sealed class HostWakeupTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(10);
    private const string Ask = "id: ask\nnodes:\n  - id: ask\n    kind: wait\n    with: { signal: go }\noutputs:\n  by: ${{ nodes.ask.output.by }}\n";
    private const string Nap = "id: nap\nnodes:\n  - id: nap\n    kind: sleep\n    with: { duration: 1m }\n";

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new();

    public static TheoryData<string> EmbeddedStores => ["memory", "sqlite"];

    [Theory]
    [MemberData(nameof(EmbeddedStores))]
    public async Task SignalFromAnotherHost_WakesTheParkedExecution_WithoutThePoll(string kind)
    {
        await using var store = await OpenEmbeddedAsync(kind);
        await SignalFromAnotherHostAsync(store, store);
    }

    [PostgresFact]
    public async Task SignalFromAnotherHostWithItsOwnConnection_WakesTheParkedExecution_WithoutThePoll()
    {
        var schema = PostgresTestServer.NewSchema();
        var owner = await PostgresTestServer.OpenAsync(schema, _time);
        var sender = await PostgresTestServer.OpenAsync(schema, _time);
        try
        {
            await owner.StartListeningAsync(CancellationToken.None);
            await SignalFromAnotherHostAsync(owner, sender);
        }
        finally
        {
            await sender.DisposeAsync();
            await PostgresTestServer.DisposeAndDropAsync(owner, schema);
        }
    }

    [Theory]
    [MemberData(nameof(EmbeddedStores))]
    public async Task SleepOfACrashedOwner_FiresFromTheStoreTimer_BeforeAnyPoll(string kind)
    {
        await using var store = await OpenEmbeddedAsync(kind);
        await SleepFiresFromStoreAsync(store);
    }

    [PostgresFact]
    public async Task SleepOfACrashedOwner_FiresFromTheStoreTimer_BeforeAnyPoll_Postgres()
    {
        var schema = PostgresTestServer.NewSchema();
        var store = await PostgresTestServer.OpenAsync(schema, _time);
        try
        {
            await store.StartListeningAsync(CancellationToken.None);
            await SleepFiresFromStoreAsync(store);
        }
        finally
        {
            await PostgresTestServer.DisposeAndDropAsync(store, schema);
        }
    }

    public void Dispose() => _directory.Dispose();

    private async Task SignalFromAnotherHostAsync(IWorkflowStore store, IWorkflowStore senderStore)
    {
        var ownerStore = new InboxReadProbe(store);
        using var ownerRuntime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = ownerStore, TimeProvider = _time });
        using var senderRuntime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = senderStore, TimeProvider = _time });
        await using var owner = new WorkflowHost(ownerRuntime, Options("owner"));
        await using var sender = new WorkflowHost(senderRuntime, Options("sender"));
        var handle = await owner.StartAsync(Load(Ask), Value.EmptyObject, new StartOptions { Source = new DefinitionSource("yaml", Ask) }, CancellationToken.None);
        await WaitForLogAsync(ownerStore, handle.ExecutionId, log => log.Any(e => e is NodeStarted));

        // The wait and the host have looked at the inbox (empty); from here only a wake-up makes them look again.
        await ownerStore.FirstRead.Task.WaitAsync(Guard);
        await ownerStore.FirstBatchedRead.Task.WaitAsync(Guard);

        await senderRuntime.SignalAsync(handle.ExecutionId, "go", Value.Object(("by", "ann")), CancellationToken.None);

        var result = await handle.Completion.WaitAsync(Guard);
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("ann", result.Outputs["by"].AsString());
    }

    private async Task SleepFiresFromStoreAsync(IWorkflowStore store)
    {
        var lease = TimeSpan.FromSeconds(30);
        string id;
        using (var firstRuntime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store, TimeProvider = _time }))
        {
            await using var first = new WorkflowHost(firstRuntime, Options("first") with { LeaseDuration = lease });
            var handle = await first.StartAsync(Load(Nap), Value.EmptyObject, new StartOptions { Source = new DefinitionSource("yaml", Nap) }, CancellationToken.None);
            id = handle.ExecutionId;
            await WaitForAsync(async () => await store.GetNextDueAsync(CancellationToken.None) is not null);
        }

        // As if it had crashed instead: its lease is held by a dead owner until it expires (nothing announces that).
        Assert.NotNull(await store.TryAcquireLeaseAsync(id, "crashed", lease, CancellationToken.None));
        using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store, TimeProvider = _time });
        await using var worker = new WorkflowHost(runtime, Options("worker") with { LeaseDuration = lease });
        using var stop = new CancellationTokenSource();
        var working = worker.RunAsync(stop.Token);

        // Two minutes pass in small steps: past the lease and the sleep's due time, far short of the ten-minute poll.
        for (var i = 0; i < 24 && await store.GetExecutionAsync(id, CancellationToken.None) is { IsTerminal: false }; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));

            // Real time for the host's loops to react to the step; no assertion depends on how long they take.
            await Task.Delay(20);
        }

        await WaitForAsync(async () => await store.GetExecutionAsync(id, CancellationToken.None) is { IsTerminal: true });
        Assert.Equal(ExecutionStatus.Succeeded, (await store.GetExecutionAsync(id, CancellationToken.None))!.Status);
        Assert.Single((await store.ReadAsync(id, 1, CancellationToken.None)).OfType<TimerFired>());
        await WaitForAsync(async () => await store.GetNextDueAsync(CancellationToken.None) is null);
        await stop.CancelAsync();
        await working;
    }

    private static WorkflowHostOptions Options(string owner) => new() { OwnerId = owner, PollInterval = Poll, LeaseDuration = TimeSpan.FromSeconds(30) };

    private static Core.Definitions.WorkflowDefinition Load(string yaml) => WorkflowLoader.Load(yaml, "w.yaml", StandardNodes.Catalog).Definition!;

    private async Task<IWorkflowStore> OpenEmbeddedAsync(string kind) => kind == "memory"
        ? new InMemoryWorkflowStore(_time)
        : await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(_directory.File("wake.db")) { TimeProvider = _time }, CancellationToken.None);

    private static Task WaitForLogAsync(IWorkflowStore store, string id, Func<IReadOnlyList<ExecutionEvent>, bool> done) =>
        WaitForAsync(async () => done(await store.ReadAsync(id, 1, CancellationToken.None)));

    private static async Task WaitForAsync(Func<Task<bool>> done)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (!await done())
        {
            await Task.Delay(5, guard.Token);
        }
    }

    /// <summary>Reports when the first inbox read of an execution, and the host's first batched read, have returned.</summary>
    private sealed class InboxReadProbe(IWorkflowStore inner) : DelegatingWorkflowStore(inner)
    {
        public TaskCompletionSource FirstRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource FirstBatchedRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsOfAsync(IReadOnlyCollection<string> executionIds, CancellationToken cancellationToken)
        {
            var signals = await base.ReadPendingSignalsOfAsync(executionIds, cancellationToken);
            FirstBatchedRead.TrySetResult();
            return signals;
        }

        public override async ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsAsync(string executionId, CancellationToken cancellationToken)
        {
            var signals = await base.ReadPendingSignalsAsync(executionId, cancellationToken);
            FirstRead.TrySetResult();
            return signals;
        }
    }
}
