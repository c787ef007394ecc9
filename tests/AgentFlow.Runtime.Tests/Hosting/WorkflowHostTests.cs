using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Hosting;
using AgentFlow.Stores.InMemory;
using AgentFlow.Testing;

namespace AgentFlow.Runtime.Tests.Hosting;

public sealed class WorkflowHostTests
{
    private const string V1 = """
        id: greet
        nodes:
          - id: a
            kind: noop
          - id: b
            kind: transform
            needs: a
            with: { text: one }
        outputs:
          text: ${{ nodes.b.output.text }}
        """;

    private const string Sleepy = """
        id: sleepy
        nodes:
          - id: nap
            kind: sleep
            with: { duration: 10m }
          - id: flaky
            kind: chaos
            needs: nap
            with: { failAttempts: 1, output: done }
            retry: { maxAttempts: 2, delay: 1m }
        outputs:
          result: ${{ nodes.flaky.output }}
        """;

    [Fact]
    public async Task StartAsync_WithSource_SavesDefinitionAndRecordsItsStoredVersion()
    {
        await using var store = new InMemoryWorkflowStore();
        using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
        await using var host = new WorkflowHost(runtime);
        var definition = Load(V1);

        var first = await host.StartAsync(definition, Value.EmptyObject, new StartOptions { Source = new DefinitionSource(DefinitionFormats.Yaml, V1) }, CancellationToken.None);
        await first.Completion.WaitAsync(RuntimeFixture.Guard);
        var second = await host.StartAsync(definition, Value.EmptyObject, new StartOptions { Source = new DefinitionSource(DefinitionFormats.Yaml, V1 + "\n# edited\n") }, CancellationToken.None);
        await second.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(1, (await store.GetExecutionAsync(first.ExecutionId, CancellationToken.None))!.WorkflowVersion);
        Assert.Equal(2, (await store.GetExecutionAsync(second.ExecutionId, CancellationToken.None))!.WorkflowVersion);
    }

    [Fact]
    public async Task RunAsync_OrphanedExecution_ResumedWithTheVersionItStartedWith()
    {
        await using var store = new InMemoryWorkflowStore();
        var v1 = await store.SaveDefinitionAsync("greet", DefinitionFormats.Yaml, V1, CancellationToken.None);
        await store.SaveDefinitionAsync("greet", DefinitionFormats.Yaml, V1.Replace("text: one", "text: two", StringComparison.Ordinal), CancellationToken.None);
        var at = DateTimeOffset.UnixEpoch;
        await store.AppendAsync("orphan", 0,
        [
            new ExecutionStarted("orphan", 1, at, "greet", v1.Definition.Version, Value.EmptyObject),
            new NodeStarted("orphan", 2, at, "a", 1, Value.Null),
            new NodeSucceeded("orphan", 3, at, "a", 1, Value.Null),
        ], CancellationToken.None);
        using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
        await using var host = new WorkflowHost(runtime, new WorkflowHostOptions { PollInterval = TimeSpan.FromMilliseconds(10) });
        using var stop = new CancellationTokenSource();

        var working = host.RunAsync(stop.Token);
        var record = await RuntimeFixture.WaitUntilTerminalAsync(store, "orphan");
        await stop.CancelAsync();
        await working;

        Assert.Equal(ExecutionStatus.Succeeded, record.Status);
        var log = await store.ReadAsync("orphan", 1, CancellationToken.None);
        Assert.Equal("one", ((ExecutionCompleted)log[^1]).Outputs["text"].AsString());
        Assert.Single(log, e => e is NodeSucceeded { NodeId: "a" });
    }

    [Fact]
    public async Task ResumeAsync_LeasedByAnotherHost_ThrowsOwned()
    {
        await using var store = new InMemoryWorkflowStore();
        using var runtimeA = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
        using var runtimeB = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
        await using var hostA = new WorkflowHost(runtimeA, new WorkflowHostOptions { OwnerId = "a" });
        await using var hostB = new WorkflowHost(runtimeB, new WorkflowHostOptions { OwnerId = "b" });
        const string Waits = "id: w\nnodes:\n  - id: ask\n    kind: wait\n    with: { signal: go }\n";
        var handle = await hostA.StartAsync(Load(Waits), Value.EmptyObject, new StartOptions { Source = new DefinitionSource(DefinitionFormats.Yaml, Waits) }, CancellationToken.None);

        await Assert.ThrowsAsync<ExecutionOwnedException>(() => hostB.ResumeAsync(handle.ExecutionId, CancellationToken.None));

        await runtimeA.SignalAsync(handle.ExecutionId, "go", 1, CancellationToken.None);
        Assert.Equal(ExecutionStatus.Succeeded, (await handle.Completion.WaitAsync(RuntimeFixture.Guard)).Status);
    }

    [Fact]
    public async Task CancelAsync_OwnedByAnotherHost_OwnerCancelsThroughInbox()
    {
        await using var store = new InMemoryWorkflowStore();
        using var runtimeA = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
        using var runtimeB = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
        await using var hostA = new WorkflowHost(runtimeA, new WorkflowHostOptions { OwnerId = "a", PollInterval = TimeSpan.FromMilliseconds(10) });
        await using var hostB = new WorkflowHost(runtimeB, new WorkflowHostOptions { OwnerId = "b" });
        const string Waits = "id: w\nnodes:\n  - id: ask\n    kind: wait\n    with: { signal: go }\n";
        var handle = await hostA.StartAsync(Load(Waits), Value.EmptyObject, new StartOptions { Source = new DefinitionSource(DefinitionFormats.Yaml, Waits) }, CancellationToken.None);

        var outcome = await hostB.CancelAsync(handle.ExecutionId, CancellationToken.None);

        Assert.Equal(CancelOutcome.Requested, outcome);
        Assert.Equal(ExecutionStatus.Cancelled, (await handle.Completion.WaitAsync(RuntimeFixture.Guard)).Status);
    }

    [Fact]
    public async Task ResumeAsync_AfterRestart_SleepAndRetryDelayReArmedFromLog()
    {
        var time = new FakeTimeProvider();
        await using var store = new InMemoryWorkflowStore(time);
        var definition = Load(Sleepy);
        var source = new StartOptions { Source = new DefinitionSource(DefinitionFormats.Yaml, Sleepy) };
        string id;
        using (var first = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store, TimeProvider = time, Registry = StandardNodes.CreateRegistry(new HttpClient()) }))
        {
            await using var host = new WorkflowHost(first, new WorkflowHostOptions { OwnerId = "p1" });
            var handle = await host.StartAsync(definition, Value.EmptyObject, source, CancellationToken.None);
            id = handle.ExecutionId;
            await RuntimeFixture.WaitForAsync<TimerScheduled>(handle);

            // The process stops here (detached: it records nothing more); its in-memory timer goes with it.
        }

        time.Advance(TimeSpan.FromMinutes(11));
        var second = await ResumeInNewProcessAsync(store, time, "p2", id);
        await RuntimeFixture.WaitForAsync<NodeRetryScheduled>(second.Handle);

        // The retry delay is pending in p2; p2 dies as well, and p3 re-arms it from the log.
        await second.Host.DisposeAsync();
        var third = await ResumeInNewProcessAsync(store, time, "p3", id);
        time.Advance(TimeSpan.FromMinutes(1));
        var result = await third.Handle.Completion.WaitAsync(RuntimeFixture.Guard);

        await third.Host.DisposeAsync();
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var log = await store.ReadAsync(id, 1, CancellationToken.None);
        Assert.Single(log, e => e is TimerFired);
        Assert.Equal([1, 2], log.OfType<NodeStarted>().Where(s => s.NodeId == "flaky").Select(s => s.Attempt));
    }

    private static async Task<(WorkflowHost Host, ExecutionHandle Handle)> ResumeInNewProcessAsync(InMemoryWorkflowStore store, FakeTimeProvider time, string owner, string id)
    {
        var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store, TimeProvider = time, Registry = StandardNodes.CreateRegistry(new HttpClient()) });
        var host = new WorkflowHost(runtime, new WorkflowHostOptions { OwnerId = owner, LeaseDuration = TimeSpan.FromSeconds(1) });
        time.Advance(TimeSpan.FromSeconds(2));
        return (host, (await host.ResumeAsync(id, CancellationToken.None))!);
    }

    [Fact]
    public async Task ResumeAsync_WorkflowDeletedAndSavedAgain_RunsTheNewText()
    {
        await using var store = new InMemoryWorkflowStore();
        using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
        await using var host = new WorkflowHost(runtime);

        var old = await StartResumedAsync("old", V1);
        Assert.Equal(DefinitionDeleteOutcome.Deleted, (await store.DeleteDefinitionAsync("greet", CancellationToken.None)).Outcome);
        var renewed = await StartResumedAsync("renewed", V1.Replace("text: one", "text: two", StringComparison.Ordinal));

        Assert.Equal("one", old.Outputs["text"].AsString());
        Assert.Equal("two", renewed.Outputs["text"].AsString());

        async Task<ExecutionResult> StartResumedAsync(string executionId, string yaml)
        {
            var saved = await store.SaveDefinitionAsync("greet", DefinitionFormats.Yaml, yaml, CancellationToken.None);
            await store.AppendAsync(executionId, 0, [new ExecutionStarted(executionId, 1, DateTimeOffset.UnixEpoch, "greet", saved.Definition.Version, Value.EmptyObject)], CancellationToken.None);
            var handle = await host.ResumeAsync(executionId, CancellationToken.None);
            return await handle!.Completion.WaitAsync(RuntimeFixture.Guard);
        }
    }

    private static Core.Definitions.WorkflowDefinition Load(string yaml) =>
        Core.Dsl.WorkflowLoader.Load(yaml, "test.yaml", StandardNodes.Catalog).Definition!;
}
