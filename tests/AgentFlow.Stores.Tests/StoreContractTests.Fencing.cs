using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;

namespace AgentFlow.Stores.Tests;

/// <summary>Leased appends and batched renewals: what keeps a process that lost an execution from writing to it.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>The three shapes an append can take (a store may write each differently): a first append, node events only, a status change.</summary>
    public static TheoryData<string> AppendShapes => ["first", "nodes", "status"];

    [Theory]
    [MemberData(nameof(AppendShapes))]
    public async Task AppendLeasedAsync_OwnerHoldsTheLease_Appends(string shape)
    {
        var (expected, batch) = await PrepareShapeAsync("e1", shape);
        await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);

        await Store.AppendLeasedAsync("e1", expected, batch, "e1", "a", Ct);

        Assert.Equal(expected + batch.Length, (await Store.ReadAsync("e1", 1, Ct)).Count);
        Assert.Equal(expected + batch.Length, (await Store.GetExecutionAsync("e1", Ct))!.LastSequence);
    }

    [Theory]
    [MemberData(nameof(AppendShapes))]
    public async Task AppendLeasedAsync_LeaseTakenByAnotherOwner_RefusedAndNothingChanges(string shape)
    {
        var (expected, batch) = await PrepareShapeAsync("e1", shape);
        await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);
        Time.Advance(LeaseFor);
        await Store.TryAcquireLeaseAsync("e1", "b", LeaseFor, Ct);
        var before = await Store.GetExecutionAsync("e1", Ct);

        var refused = await Assert.ThrowsAsync<LeaseLostException>(async () => await Store.AppendLeasedAsync("e1", expected, batch, "e1", "a", Ct));

        Assert.Equal(("e1", "e1", "a"), (refused.ExecutionId, refused.LeaseExecutionId, refused.OwnerId));
        Assert.Equal(expected, (await Store.ReadAsync("e1", 1, Ct)).Count);
        Assert.Equal(before, await Store.GetExecutionAsync("e1", Ct), ExecutionRecordComparer.Instance);
        await Store.AppendLeasedAsync("e1", expected, batch, "e1", "b", Ct);
    }

    [Fact]
    public async Task AppendLeasedAsync_ReleasedOrNeverLeased_Refused()
    {
        await StartAsync("e1");
        await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);
        await Store.ReleaseLeaseAsync("e1", "a", Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await Store.AppendLeasedAsync("e1", 1, TestEvents.Nodes("e1", 2, 1, T0), "e1", "a", Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await Store.AppendLeasedAsync("e2", 0, [TestEvents.Started("e2", T0)], "e2", "a", Ct));

        Assert.Single(await Store.ReadAsync("e1", 1, Ct));
        Assert.Null(await Store.GetExecutionAsync("e2", Ct));
    }

    [Fact]
    public async Task AppendLeasedAsync_ExpiredLeaseNobodyTook_StillAppends()
    {
        await StartAsync("e1");
        await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);
        Time.Advance(LeaseFor * 2);

        await Store.AppendLeasedAsync("e1", 1, TestEvents.Nodes("e1", 2, 1, T0), "e1", "a", Ct);

        Assert.Equal(2, (await Store.ReadAsync("e1", 1, Ct)).Count);
    }

    [Fact]
    public async Task AppendLeasedAsync_ChildUnderTheRootsLease_CheckedAgainstTheRoot()
    {
        await Store.TryAcquireLeaseAsync("root", "a", LeaseFor, Ct);
        await Store.AppendLeasedAsync("root/m/1/0", 0, [TestEvents.Started("root/m/1/0", T0, parent: "root")], "root", "a", Ct);
        Time.Advance(LeaseFor);
        await Store.TryAcquireLeaseAsync("root", "b", LeaseFor, Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await Store.AppendLeasedAsync("root/m/1/0", 1, TestEvents.Nodes("root/m/1/0", 2, 1, T0), "root", "a", Ct));

        Assert.Single(await Store.ReadAsync("root/m/1/0", 1, Ct));
    }

    [Fact]
    public async Task AppendLeasedAsync_LeaseHeldButSequenceStale_ThrowsConcurrency()
    {
        await StartAsync("e1");
        await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);

        await Assert.ThrowsAsync<EventStoreConcurrencyException>(async () => await Store.AppendLeasedAsync("e1", 0, [TestEvents.Started("e1", T0)], "e1", "a", Ct));
        await Assert.ThrowsAsync<EventStoreConcurrencyException>(async () => await Store.AppendLeasedAsync("e1", 3, TestEvents.Nodes("e1", 4, 1, T0), "e1", "a", Ct));
    }

    [Fact]
    public async Task RenewLeasesAsync_MixedLeases_RenewsOnlyThoseTheOwnerStillHolds()
    {
        await Store.TryAcquireLeaseAsync("mine", "a", LeaseFor, Ct);
        await Store.TryAcquireLeaseAsync("expired", "a", LeaseFor, Ct);
        await Store.TryAcquireLeaseAsync("taken", "a", LeaseFor, Ct);
        await Store.TryAcquireLeaseAsync("other", "b", LeaseFor * 3, Ct);
        Time.Advance(LeaseFor);
        await Store.TryAcquireLeaseAsync("taken", "b", LeaseFor, Ct);
        await Store.RenewLeaseAsync("mine", "a", LeaseFor, Ct);

        var renewed = await Store.RenewLeasesAsync(["mine", "expired", "taken", "other", "unknown"], "a", LeaseFor, Ct);

        Assert.Equal(["expired", "mine"], renewed.Select(l => l.ExecutionId).Order(StringComparer.Ordinal));
        Assert.All(renewed, l => Assert.Equal(("a", T0 + LeaseFor + LeaseFor), (l.OwnerId, l.ExpiresAt)));
        Time.Advance(LeaseFor - TimeSpan.FromTicks(1));
        Assert.Null(await Store.TryAcquireLeaseAsync("expired", "b", LeaseFor, Ct));
        Assert.Empty(await Store.RenewLeasesAsync([], "a", LeaseFor, Ct));
    }

    /// <summary>Starts <paramref name="executionId"/> as the shape needs and returns the expected sequence and the batch to append.</summary>
    private async Task<(long Expected, ExecutionEvent[] Batch)> PrepareShapeAsync(string executionId, string shape)
    {
        if (shape == "first")
        {
            return (0, [TestEvents.Started(executionId, T0)]);
        }

        await StartAsync(executionId);
        return shape == "nodes"
            ? (1, TestEvents.Nodes(executionId, 2, 2, T0))
            : (1, [new ExecutionCompleted(executionId, 2, T0, Value.Null)]);
    }
}
