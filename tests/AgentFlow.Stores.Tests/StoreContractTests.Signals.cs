namespace AgentFlow.Stores.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task SendSignalAsync_BeforeTheExecutionExists_KeptPendingInOrder()
    {
        await Store.SendSignalAsync("e1", "approve", "{\"ok\":true}", null, Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.SendSignalAsync("e1", "comment", "\"looks good\"", null, Ct);
        await Store.SendSignalAsync("e2", "approve", "null", null, Ct);

        var pending = await Store.ReadPendingSignalsAsync("e1", Ct);

        Assert.Equal([("approve", "{\"ok\":true}"), ("comment", "\"looks good\"")], pending.Select(s => (s.Name, s.PayloadJson)));
        Assert.True(pending[0].SignalId < pending[1].SignalId);
        Assert.Equal([T0, T0.AddSeconds(1)], pending.Select(s => s.SentAt));
    }

    [Fact]
    public async Task MarkSignalDeliveredAsync_Twice_OnlyFirstSucceedsAndSignalLeavesPending()
    {
        var sent = await Store.SendSignalAsync("e1", "approve", "1", null, Ct);

        Assert.True(await Store.MarkSignalDeliveredAsync("e1", sent.Signal.SignalId, Ct));
        Assert.False(await Store.MarkSignalDeliveredAsync("e1", sent.Signal.SignalId, Ct));
        Assert.Empty(await Store.ReadPendingSignalsAsync("e1", Ct));
    }

    [Fact]
    public async Task MarkSignalDeliveredAsync_WrongExecutionOrUnknownId_ReturnsFalse()
    {
        var sent = await Store.SendSignalAsync("e1", "approve", "1", null, Ct);

        Assert.False(await Store.MarkSignalDeliveredAsync("e2", sent.Signal.SignalId, Ct));
        Assert.False(await Store.MarkSignalDeliveredAsync("e1", sent.Signal.SignalId + 100, Ct));
        Assert.Single(await Store.ReadPendingSignalsAsync("e1", Ct));
    }

    [Fact]
    public async Task MarkSignalDeliveredAsync_ConcurrentDeliverers_ExactlyOneWins()
    {
        var sent = await Store.SendSignalAsync("e1", "approve", "1", null, Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            await Store.MarkSignalDeliveredAsync("e1", sent.Signal.SignalId, Ct))));

        Assert.Single(results, won => won);
    }

    [Fact]
    public async Task SendSignalAsync_SameDeduplicationId_StoredOnceEvenAfterDelivery()
    {
        var first = await Store.SendSignalAsync("e1", "approve", "1", "req-7", Ct);
        var retry = await Store.SendSignalAsync("e1", "approve", "2", "req-7", Ct);
        await Store.MarkSignalDeliveredAsync("e1", first.Signal.SignalId, Ct);
        var late = await Store.SendSignalAsync("e1", "approve", "3", "req-7", Ct);
        var otherExecution = await Store.SendSignalAsync("e2", "approve", "4", "req-7", Ct);

        Assert.False(first.Duplicate);
        Assert.True(retry.Duplicate && late.Duplicate);
        Assert.Equal(first.Signal, retry.Signal);
        Assert.Equal(first.Signal, late.Signal);
        Assert.False(otherExecution.Duplicate);
        Assert.Empty(await Store.ReadPendingSignalsAsync("e1", Ct));
    }

    [Fact]
    public async Task SendSignalAsync_PayloadNotJson_ThrowsAndStoresNothing()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.SendSignalAsync("e1", "approve", "{oops", null, Ct));

        Assert.Empty(await Store.ReadPendingSignalsAsync("e1", Ct));
    }
}
