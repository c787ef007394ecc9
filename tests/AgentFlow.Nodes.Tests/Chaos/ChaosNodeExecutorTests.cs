using AgentFlow.Core.Definitions;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.Nodes.Chaos;
using AgentFlow.Testing;

namespace AgentFlow.Nodes.Tests.Chaos;

public sealed class ChaosNodeExecutorTests
{
    private static readonly Value Parameters = Value.Object(("failAttempts", 2), ("error", "service.unavailable"), ("output", Value.Object(("answer", 42))));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Execute_AttemptWithinFailAttempts_ThrowsConfiguredRetryableError(int attempt)
    {
        var error = await Assert.ThrowsAsync<NodeExecutionException>(() => Run(Parameters, attempt, TimeProvider.System).AsTask());

        Assert.Equal("service.unavailable", error.Code);
        Assert.True(error.Retryable);
        Assert.Equal(attempt, error.Details["attempt"].AsNumber());
    }

    [Fact]
    public async Task Execute_AttemptAfterFailAttempts_ReturnsOutput()
    {
        var output = await Run(Parameters, attempt: 3, TimeProvider.System);

        Assert.Equal(42, output["answer"].AsNumber());
    }

    [Fact]
    public async Task Execute_NotRetryable_MarksErrorSo()
    {
        var error = await Assert.ThrowsAsync<NodeExecutionException>(
            () => Run(Value.Object(("failAttempts", 1), ("retryable", false)), 1, TimeProvider.System).AsTask());

        Assert.Equal("chaos.injected", error.Code);
        Assert.False(error.Retryable);
    }

    [Fact]
    public async Task Execute_Latency_WaitsOnTheInjectedClock()
    {
        var clock = new FakeTimeProvider();
        var running = Run(Value.Object(("latency", "2s"), ("output", "late")), 1, clock).AsTask();
        await Task.Yield();
        Assert.False(running.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("late", (await running).AsString());
    }

    [Fact]
    public async Task Execute_BadLatency_FailsWithoutRetry()
    {
        var error = await Assert.ThrowsAsync<NodeExecutionException>(() => Run(Value.Object(("latency", "soon")), 1, TimeProvider.System).AsTask());

        Assert.Equal("chaos.invalid", error.Code);
        Assert.False(error.Retryable);
    }

    private static ValueTask<Value> Run(Value parameters, int attempt, TimeProvider time) =>
        new ChaosNodeExecutor().ExecuteAsync(
            new NodeContext
            {
                ExecutionId = "e",
                Node = new NodeDefinition { Id = "flaky", Kind = "chaos" },
                Attempt = attempt,
                Parameters = parameters,
                IdempotencyKey = $"e/flaky/{attempt}",
                Time = time,
            },
            CancellationToken.None);
}
