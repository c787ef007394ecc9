using System.Collections.Concurrent;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Hosting;
using AgentFlow.Stores.InMemory;
using AgentFlow.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentFlow.Runtime.Tests.Control;

/// <summary>Pause, resume and retry through <see cref="WorkflowHost"/>, over a real loopback HTTP peer.</summary>
public sealed class PauseResumeRetryTests : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _slowEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _releaseSlow = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackHttpServer.StartAsync(HandleAsync);

    public async Task DisposeAsync()
    {
        _releaseSlow.TrySetResult();
        await _server.DisposeAsync();
    }

    private string SlowThenNext => $$$"""
        id: slow-then-next
        nodes:
          - id: slow
            kind: http
            with: { method: GET, url: "{{{_server.BaseAddress}}}slow" }
          - id: next
            kind: http
            needs: slow
            with: { method: GET, url: "{{{_server.BaseAddress}}}next" }
        outputs:
          next: ${{ nodes.next.output.status }}
        """;

    private string FailsOnce => $$$"""
        id: fails-once
        nodes:
          - id: first
            kind: http
            with: { method: GET, url: "{{{_server.BaseAddress}}}first" }
          - id: side
            kind: transform
            needs: first
            with: { value: 1 }
          - id: flaky
            kind: http
            needs: first
            with: { method: GET, url: "{{{_server.BaseAddress}}}flaky" }
          - id: last
            kind: http
            needs: [flaky, side]
            with: { method: GET, url: "{{{_server.BaseAddress}}}last" }
        outputs:
          status: ${{ nodes.last.output.status }}
        """;

    [Fact]
    public async Task PauseAsync_WhileSlowNodeRuns_NodeCompletesNothingNewStartsUntilResumed()
    {
        await using var store = new InMemoryWorkflowStore();
        using var runtime = NewRuntime(store);
        await using var host = new WorkflowHost(runtime, new WorkflowHostOptions { OwnerId = "p1" });
        var handle = await StartAsync(host, SlowThenNext);
        await _slowEntered.Task.WaitAsync(RuntimeFixture.Guard);

        var outcome = await host.PauseAsync(handle.ExecutionId, "maintenance", CancellationToken.None);
        _releaseSlow.SetResult();
        var parked = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ControlOutcome.Applied, outcome);
        Assert.Equal(ExecutionStatus.Paused, parked.Status);
        var log = await store.ReadAsync(handle.ExecutionId, 1, CancellationToken.None);
        Assert.Equal("maintenance", Assert.Single(log.OfType<ExecutionPaused>()).Reason);
        Assert.Single(log, e => e is NodeSucceeded { NodeId: "slow" });
        Assert.DoesNotContain(log, e => e is NodeStarted { NodeId: "next" });
        Assert.Equal(0, Calls("next"));
        Assert.Equal(ExecutionStatus.Paused, (await store.GetExecutionAsync(handle.ExecutionId, CancellationToken.None))!.Status);
        Assert.Equal("paused", (await runtime.GetReportAsync(handle.ExecutionId, CancellationToken.None))!.Status);

        Assert.Equal(ControlOutcome.Applied, await host.ResumePausedAsync(handle.ExecutionId, CancellationToken.None));
        var result = await RuntimeFixture.WaitUntilTerminalAsync(store, handle.ExecutionId);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(1, Calls("slow"));
        Assert.Equal(1, Calls("next"));
        log = await store.ReadAsync(handle.ExecutionId, 1, CancellationToken.None);
        Assert.Single(log.OfType<ExecutionResumed>());
    }

    [Fact]
    public async Task PauseAsync_ThenRestart_StaysPausedUnclaimedAndCompletesAfterResume()
    {
        await using var store = new InMemoryWorkflowStore();
        string id;
        using (var first = NewRuntime(store))
        {
            await using var host = new WorkflowHost(first, new WorkflowHostOptions { OwnerId = "p1" });
            var handle = await StartAsync(host, SlowThenNext);
            id = handle.ExecutionId;
            await _slowEntered.Task.WaitAsync(RuntimeFixture.Guard);
            await host.PauseAsync(id, null, CancellationToken.None);
            _releaseSlow.SetResult();
            await handle.Completion.WaitAsync(RuntimeFixture.Guard);
        }

        // A new process: workers do not claim a paused execution, and it holds no lease.
        using var second = NewRuntime(store);
        await using var host2 = new WorkflowHost(second, new WorkflowHostOptions { OwnerId = "p2" });
        Assert.Empty(await store.ClaimRunnableExecutionsAsync("p2", 10, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Equal(ExecutionStatus.Paused, (await store.GetExecutionAsync(id, CancellationToken.None))!.Status);
        Assert.Equal(ControlOutcome.Unchanged, await host2.PauseAsync(id, null, CancellationToken.None));

        Assert.Equal(ControlOutcome.Applied, await host2.ResumePausedAsync(id, CancellationToken.None));
        var result = await RuntimeFixture.WaitUntilTerminalAsync(store, id);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(1, Calls("slow"));
        Assert.Equal(1, Calls("next"));
    }

    [Fact]
    public async Task PauseAsync_OwnedByAnotherHost_OwnerPausesThroughInboxAndResumeReachesIt()
    {
        await using var store = new InMemoryWorkflowStore();
        using var runtimeA = NewRuntime(store);
        using var runtimeB = NewRuntime(store);
        await using var hostA = new WorkflowHost(runtimeA, new WorkflowHostOptions { OwnerId = "a", PollInterval = TimeSpan.FromMilliseconds(10) });
        await using var hostB = new WorkflowHost(runtimeB, new WorkflowHostOptions { OwnerId = "b", PollInterval = TimeSpan.FromMilliseconds(10), LeaseDuration = TimeSpan.FromSeconds(5) });
        var handle = await StartAsync(hostA, SlowThenNext);
        await _slowEntered.Task.WaitAsync(RuntimeFixture.Guard);

        var outcome = await hostB.PauseAsync(handle.ExecutionId, "from b", CancellationToken.None);
        await RuntimeFixture.WaitForAsync<ExecutionPaused>(handle);
        _releaseSlow.SetResult();
        var parked = await handle.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ControlOutcome.Requested, outcome);
        Assert.Equal(ExecutionStatus.Paused, parked.Status);
        Assert.Equal(0, Calls("next"));

        var resumed = await hostB.ResumePausedAsync(handle.ExecutionId, CancellationToken.None);
        var result = await RuntimeFixture.WaitUntilTerminalAsync(store, handle.ExecutionId);

        Assert.Equal(ControlOutcome.Applied, resumed);
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(1, Calls("next"));
    }

    [Fact]
    public async Task RetryAsync_AfterLoopbackFailure_RerunsOnlyTheFailedNodeAndCompletes()
    {
        await using var store = new InMemoryWorkflowStore();
        using var runtime = NewRuntime(store);
        await using var host = new WorkflowHost(runtime, new WorkflowHostOptions { OwnerId = "p1" });
        _releaseSlow.SetResult();
        var handle = await StartAsync(host, FailsOnce);
        var failed = await handle.Completion.WaitAsync(RuntimeFixture.Guard);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal("flaky", failed.FailedNodeId);

        var retried = await host.RetryAsync(handle.ExecutionId, CancellationToken.None);
        var result = await retried!.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(200d, result.Outputs["status"].AsNumber());
        Assert.Equal(1, Calls("first"));
        Assert.Equal(2, Calls("flaky"));
        Assert.Equal(1, Calls("last"));
        var log = await store.ReadAsync(handle.ExecutionId, 1, CancellationToken.None);
        var retry = Assert.Single(log.OfType<ExecutionRetried>());
        Assert.Contains("flaky", retry.NodeIds);
        Assert.DoesNotContain("first", retry.NodeIds);
        Assert.Equal([1, 2], log.OfType<NodeStarted>().Where(s => s.NodeId == "flaky").Select(s => s.Attempt));
        Assert.Single(log, e => e is NodeSucceeded { NodeId: "first" });

        // The retried attempt carried a new idempotency key.
        var keys = _server.Requests.Where(r => r.PathAndQuery == "/flaky").Select(r => r.Headers.GetValueOrDefault("Idempotency-Key")).ToList();
        Assert.Equal(2, keys.Distinct().Count());
        var record = await store.GetExecutionAsync(handle.ExecutionId, CancellationToken.None);
        Assert.Equal(ExecutionStatus.Succeeded, record!.Status);
    }

    [Fact]
    public async Task ControlAsync_WrongState_ConflictOrUnknownAndNothingRecorded()
    {
        await using var store = new InMemoryWorkflowStore();
        using var runtime = NewRuntime(store);
        await using var host = new WorkflowHost(runtime, new WorkflowHostOptions { OwnerId = "p1" });
        _releaseSlow.SetResult();
        var handle = await StartAsync(host, SlowThenNext);
        await handle.Completion.WaitAsync(RuntimeFixture.Guard);
        var before = (await store.ReadAsync(handle.ExecutionId, 1, CancellationToken.None)).Count;

        var pause = await Assert.ThrowsAsync<ExecutionConflictException>(() => host.PauseAsync(handle.ExecutionId, null, CancellationToken.None));
        var resume = await Assert.ThrowsAsync<ExecutionConflictException>(() => host.ResumePausedAsync(handle.ExecutionId, CancellationToken.None));
        var retry = await Assert.ThrowsAsync<ExecutionConflictException>(() => host.RetryAsync(handle.ExecutionId, CancellationToken.None));

        Assert.Equal(ExecutionStatus.Succeeded, pause.Status);
        Assert.Contains("is succeeded: it cannot be paused", pause.Message, StringComparison.Ordinal);
        Assert.Equal("resumed", resume.Operation);
        Assert.Contains("Only a failed execution can be retried", retry.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await store.ReadAsync(handle.ExecutionId, 1, CancellationToken.None)).Count);
        Assert.Equal(ControlOutcome.Unknown, await host.PauseAsync("nope", null, CancellationToken.None));
        Assert.Equal(ControlOutcome.Unknown, await host.ResumePausedAsync("nope", CancellationToken.None));
        Assert.Null(await host.RetryAsync("nope", CancellationToken.None));
    }

    [Fact]
    public async Task PauseAsync_Twice_SecondIsUnchangedAndCancelStillEndsIt()
    {
        await using var store = new InMemoryWorkflowStore();
        using var runtime = NewRuntime(store);
        await using var host = new WorkflowHost(runtime, new WorkflowHostOptions { OwnerId = "p1" });
        var handle = await StartAsync(host, SlowThenNext);
        await _slowEntered.Task.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ControlOutcome.Applied, await host.PauseAsync(handle.ExecutionId, null, CancellationToken.None));
        Assert.Equal(ControlOutcome.Unchanged, await host.PauseAsync(handle.ExecutionId, null, CancellationToken.None));
        _releaseSlow.SetResult();
        await handle.Completion.WaitAsync(RuntimeFixture.Guard);
        var cancelled = await host.CancelAsync(handle.ExecutionId, CancellationToken.None);

        Assert.Equal(CancelOutcome.Cancelled, cancelled);
        var log = await store.ReadAsync(handle.ExecutionId, 1, CancellationToken.None);
        Assert.Single(log.OfType<ExecutionPaused>());
        Assert.IsType<ExecutionCancelled>(log[^1]);
        Assert.Equal(0, Calls("next"));
    }

    private static WorkflowRuntime NewRuntime(InMemoryWorkflowStore store) =>
        new(new WorkflowRuntimeOptions { Store = store, Registry = StandardNodes.CreateRegistry(new HttpClient()) });

    private static Task<ExecutionHandle> StartAsync(WorkflowHost host, string yaml) =>
        host.StartAsync(Core.Dsl.WorkflowLoader.Load(yaml, "test.yaml", StandardNodes.Catalog).Definition!, Value.EmptyObject, new StartOptions { Source = new DefinitionSource(DefinitionFormats.Yaml, yaml) }, CancellationToken.None);

    private int Calls(string path) => _calls.GetValueOrDefault(path);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimStart('/');
        var count = _calls.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (path == "slow")
        {
            _slowEntered.TrySetResult();
            await _releaseSlow.Task;
        }

        context.Response.StatusCode = path == "flaky" && count == 1 ? 500 : 200;
        await context.Response.WriteAsync("{}");
    }
}
