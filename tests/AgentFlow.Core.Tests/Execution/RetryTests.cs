using System.Collections.Immutable;
using AgentFlow.Core.Building;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;

namespace AgentFlow.Core.Tests.Execution;

public sealed class RetryTests
{
    private static RetryPolicy Policy(BackoffKind kind, int maxAttempts = 5, double multiplier = 2, TimeSpan? maxDelay = null, double jitter = 0, params string[] retryOn) =>
        new(maxAttempts, kind, TimeSpan.FromSeconds(1), multiplier, maxDelay, jitter, [.. retryOn]);

    private static DeciderSim Sim(RetryPolicy policy, Func<string, int, ErrorInfo?> outcome) =>
        new(new WorkflowBuilder("w").Node("a", "noop", configure: n => n with { Retry = policy }).Build()) { Outcome = outcome };

    private static List<TimeSpan> Delays(DeciderSim sim) =>
        [.. sim.Log.OfType<NodeRetryScheduled>().Select(r => r.DueAt - r.Timestamp)];

    private static ErrorInfo Transient => new("http.status", "503", Retryable: true);

    [Theory]
    [InlineData(BackoffKind.Fixed, new[] { 1.0, 1, 1, 1 })]
    [InlineData(BackoffKind.Linear, new[] { 1.0, 2, 3, 4 })]
    [InlineData(BackoffKind.Exponential, new[] { 1.0, 2, 4, 8 })]
    public void ResolveFailure_Backoff_DelaysGrowAsConfigured(BackoffKind kind, double[] seconds)
    {
        var sim = Sim(Policy(kind), (_, _) => Transient);

        var state = sim.RunToEnd();

        Assert.Equal(seconds.Select(TimeSpan.FromSeconds), Delays(sim));
        Assert.Equal(ExecutionStatus.Failed, state.Status);
        Assert.Equal(5, state.GetNode("a")!.Attempt);
    }

    [Fact]
    public void ResolveFailure_MaxDelay_CapsEachDelay()
    {
        var sim = Sim(Policy(BackoffKind.Exponential, multiplier: 3, maxDelay: TimeSpan.FromSeconds(5)), (_, _) => Transient);

        sim.RunToEnd();

        Assert.Equal(new[] { 1.0, 3, 5, 5 }.Select(TimeSpan.FromSeconds), Delays(sim));
    }

    [Fact]
    public void ResolveFailure_Jitter_DeterministicAndWithinBounds()
    {
        var first = Sim(Policy(BackoffKind.Fixed, jitter: 0.5), (_, _) => Transient);
        var second = Sim(Policy(BackoffKind.Fixed, jitter: 0.5), (_, _) => Transient);

        first.RunToEnd();
        second.RunToEnd();

        Assert.Equal(Delays(first), Delays(second));
        Assert.All(Delays(first), d => Assert.InRange(d.TotalSeconds, 0.5, 1.5));
        Assert.True(Delays(first).Distinct().Count() > 1, "jitter should vary by attempt");
    }

    [Fact]
    public void ResolveFailure_SucceedsOnThirdAttempt_WorkflowSucceeds()
    {
        var sim = Sim(Policy(BackoffKind.Fixed), (_, attempt) => attempt < 3 ? Transient : null);

        var state = sim.RunToEnd();

        Assert.Equal(ExecutionStatus.Succeeded, state.Status);
        Assert.Equal(3, state.GetNode("a")!.Attempt);
        Assert.Equal([1, 2, 3], sim.Log.OfType<NodeStarted>().Select(s => s.Attempt));
        Assert.All(sim.Log.OfType<NodeFailed>(), f => Assert.True(f.WillRetry));
    }

    [Theory]
    [InlineData("http.*", "http.status", true)]
    [InlineData("http.*", "timeout", false)]
    [InlineData("timeout", "timeout", true)]
    [InlineData("timeout", "timeout.connect", false)]
    public void ResolveFailure_RetryOn_FiltersByCodeOrPrefix(string pattern, string code, bool retried)
    {
        var sim = Sim(Policy(BackoffKind.Fixed, maxAttempts: 2, retryOn: pattern), (_, _) => new ErrorInfo(code, "x", Retryable: false));

        sim.RunToEnd();

        Assert.Equal(retried ? 1 : 0, sim.Log.OfType<NodeRetryScheduled>().Count());
    }

    [Fact]
    public void ResolveFailure_EmptyRetryOnAndNotRetryable_NoRetry()
    {
        var sim = Sim(Policy(BackoffKind.Fixed), (_, _) => new ErrorInfo("fatal", "x", Retryable: false));

        var state = sim.RunToEnd();

        Assert.Empty(sim.Log.OfType<NodeRetryScheduled>());
        Assert.False(Assert.Single(sim.Log.OfType<NodeFailed>()).WillRetry);
        Assert.Equal(ExecutionStatus.Failed, state.Status);
    }

    [Fact]
    public void Decide_NodeRetryScheduled_EmitsScheduleRetryWithDueTime()
    {
        var sim = Sim(Policy(BackoffKind.Fixed), (_, _) => Transient);
        sim.Start();
        sim.Apply(new NodeStarted(sim.ExecutionId, sim.Next, sim.Now, "a", 1, default));

        var decisions = sim.Fail("a", 1, Transient);

        var retry = Assert.IsType<ScheduleRetry>(Assert.Single(decisions));
        Assert.Equal(2, retry.Attempt);
        Assert.Equal(sim.Now + TimeSpan.FromSeconds(1), retry.DueAt);
        Assert.Equal(NodeStatus.Waiting, sim.StatusOf("a"));
    }

    [Fact]
    public void RetryPolicy_DefaultRetryOn_IsEmpty() => Assert.Equal(ImmutableArray<string>.Empty, RetryPolicy.None.RetryOn);
}
