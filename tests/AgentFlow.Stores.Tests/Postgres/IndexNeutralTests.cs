using AgentFlow.Core.Events;
using AgentFlow.Core.Values;
using AgentFlow.Stores.Postgres;

namespace AgentFlow.Stores.Tests.Postgres;

/// <summary>Which batches the PostgreSQL store may append without reading the index row first.</summary>
public sealed class IndexNeutralTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Is_NodeEventsOnly_True() =>
        Assert.True(IndexNeutral.Is([.. TestEvents.Nodes("e1", 2, 3, T0), new TimerFired("e1", 5, T0, "sleep")]));

    [Fact]
    public void Is_ExecutionStarted_False() =>
        Assert.False(IndexNeutral.Is([TestEvents.Started("e1", T0)]));

    [Fact]
    public void Is_CancelRequestedAfterNodes_False() =>
        Assert.False(IndexNeutral.Is([TestEvents.Node("e1", 2, T0), new ExecutionCancelRequested("e1", 3, T0, "user")]));

    [Fact]
    public void Is_Completed_False() =>
        Assert.False(IndexNeutral.Is([new ExecutionCompleted("e1", 2, T0, Value.Null)]));
}
