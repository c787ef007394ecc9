using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;

namespace AgentFlow.Runtime.Tests.Control;

/// <summary>Runtime-level pause, resume and retry on the in-memory log and a fake clock.</summary>
public sealed class RuntimePauseTests
{
    private const string Napper = """
        id: napper
        nodes:
          - id: nap
            kind: sleep
            with: { duration: 10m }
          - id: after
            kind: noop
            needs: nap
        """;

    [Fact]
    public async Task PauseAsync_TimerDueWhilePaused_FiresOnlyAfterResume()
    {
        using var fixture = new RuntimeFixture();
        var definition = Load(Napper);
        var handle = await fixture.StartAsync(definition);
        await RuntimeFixture.WaitForAsync<TimerScheduled>(handle);

        var outcome = await fixture.Runtime.PauseAsync(handle.ExecutionId, "night", CancellationToken.None);
        var parked = await handle.Completion.WaitAsync(RuntimeFixture.Guard);
        fixture.Time.Advance(TimeSpan.FromMinutes(11));
        var whilePaused = await fixture.LogAsync(handle.ExecutionId);

        Assert.Equal(ControlOutcome.Applied, outcome);
        Assert.Equal(ExecutionStatus.Paused, parked.Status);
        Assert.DoesNotContain(whilePaused, e => e is TimerFired);
        Assert.Equal(ControlOutcome.NotRunningHere, await fixture.Runtime.PauseAsync(handle.ExecutionId, null, CancellationToken.None));

        var resumed = await fixture.Runtime.ResumePausedAsync(definition, handle.ExecutionId, CancellationToken.None);
        var result = await resumed!.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var log = await fixture.LogAsync(handle.ExecutionId);
        var resumedAt = log.Single(e => e is ExecutionResumed).Sequence;
        Assert.True(log.Single(e => e is TimerFired).Sequence > resumedAt);
    }

    [Fact]
    public async Task RetryAsync_FailedExecution_ReopensAndCompletesAndRefusesSecondRetry()
    {
        using var fixture = new RuntimeFixture();
        var definition = Load("""
            id: failing
            nodes:
              - id: ok
                kind: noop
              - id: flaky
                kind: chaos
                needs: ok
                with: { failAttempts: 1, output: fine }
            """);
        fixture.Registry.Register("chaos", new AgentFlow.Nodes.Chaos.ChaosNodeExecutor());
        var handle = await fixture.StartAsync(definition);
        Assert.Equal(ExecutionStatus.Failed, (await handle.Completion.WaitAsync(RuntimeFixture.Guard)).Status);

        var retried = await fixture.Runtime.RetryAsync(definition, handle.ExecutionId, CancellationToken.None);
        var result = await retried!.Completion.WaitAsync(RuntimeFixture.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var conflict = await Assert.ThrowsAsync<ExecutionConflictException>(() => fixture.Runtime.RetryAsync(definition, handle.ExecutionId, CancellationToken.None));
        Assert.Equal(ExecutionStatus.Succeeded, conflict.Status);
        Assert.Null(await fixture.Runtime.RetryAsync(definition, "unknown", CancellationToken.None));
        var log = await fixture.LogAsync(handle.ExecutionId);
        Assert.Single(log, e => e is NodeStarted { NodeId: "ok" });
    }

    private static Core.Definitions.WorkflowDefinition Load(string yaml) =>
        Core.Dsl.WorkflowLoader.Load(yaml, "test.yaml", StandardNodes.Catalog).Definition!;
}
