using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;

namespace AgentFlow.Stores.Tests;

public abstract partial class StoreContractTests
{
    private static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TryAcquireLeaseAsync_HeldByAnotherOwner_ReturnsNull()
    {
        var mine = await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);

        Assert.Equal(new ExecutionLease("e1", "a", T0 + LeaseFor), mine);
        Assert.Null(await Store.TryAcquireLeaseAsync("e1", "b", LeaseFor, Ct));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_SameOwnerAgain_Extends()
    {
        await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);
        Time.Advance(TimeSpan.FromSeconds(10));

        var again = await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);

        Assert.Equal(T0.AddSeconds(10) + LeaseFor, again!.ExpiresAt);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_AfterExpiryByTheClock_AnotherOwnerTakesIt()
    {
        await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);

        Time.Advance(LeaseFor - TimeSpan.FromTicks(1));
        Assert.Null(await Store.TryAcquireLeaseAsync("e1", "b", LeaseFor, Ct));
        Time.Advance(TimeSpan.FromTicks(1));

        Assert.NotNull(await Store.TryAcquireLeaseAsync("e1", "b", LeaseFor, Ct));
        Assert.Null(await Store.RenewLeaseAsync("e1", "a", LeaseFor, Ct));
    }

    [Fact]
    public async Task RenewLeaseAsync_Owner_ExtendsSoOthersStayOut()
    {
        await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);
        Time.Advance(TimeSpan.FromSeconds(20));

        var renewed = await Store.RenewLeaseAsync("e1", "a", LeaseFor, Ct);
        Time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(T0.AddSeconds(20) + LeaseFor, renewed!.ExpiresAt);
        Assert.Null(await Store.TryAcquireLeaseAsync("e1", "b", LeaseFor, Ct));
    }

    [Fact]
    public async Task RenewLeaseAsync_NotTheOwner_ReturnsNullAndKeepsTheOwnersLease()
    {
        await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);

        Assert.Null(await Store.RenewLeaseAsync("e1", "b", LeaseFor, Ct));
        Assert.Null(await Store.RenewLeaseAsync("e2", "a", LeaseFor, Ct));
        Assert.Null(await Store.TryAcquireLeaseAsync("e1", "b", LeaseFor, Ct));
    }

    [Fact]
    public async Task ReleaseLeaseAsync_OnlyTheOwnerReleasesThenOthersAcquire()
    {
        await Store.TryAcquireLeaseAsync("e1", "a", LeaseFor, Ct);

        Assert.False(await Store.ReleaseLeaseAsync("e1", "b", Ct));
        Assert.True(await Store.ReleaseLeaseAsync("e1", "a", Ct));
        Assert.False(await Store.ReleaseLeaseAsync("e1", "a", Ct));
        Assert.NotNull(await Store.TryAcquireLeaseAsync("e1", "b", LeaseFor, Ct));
    }

    [Fact]
    public async Task ClaimRunnableExecutionsAsync_MixedExecutions_SkipsTerminalAndLiveLeasesOldestFirst()
    {
        await StartAsync("done", T0.AddSeconds(1));
        await Store.AppendAsync("done", 1, [new ExecutionCompleted("done", 2, T0.AddSeconds(2), Value.Null)], Ct);
        await StartAsync("leased", T0.AddSeconds(2));
        await StartAsync("expired", T0.AddSeconds(3));
        await StartAsync("cancelling", T0.AddSeconds(4));
        await Store.AppendAsync("cancelling", 1, [new ExecutionCancelRequested("cancelling", 2, T0.AddSeconds(5))], Ct);
        await StartAsync("free", T0.AddSeconds(5));
        await Store.TryAcquireLeaseAsync("expired", "old", TimeSpan.FromSeconds(5), Ct);
        Time.Advance(TimeSpan.FromSeconds(5));
        await Store.TryAcquireLeaseAsync("leased", "other", LeaseFor, Ct);

        var claimed = await Store.ClaimRunnableExecutionsAsync("w", 10, LeaseFor, Ct);

        Assert.Equal(["expired", "cancelling", "free"], claimed.Select(l => l.ExecutionId));
        Assert.All(claimed, l => Assert.Equal(("w", T0.AddSeconds(5) + LeaseFor), (l.OwnerId, l.ExpiresAt)));
        Assert.Empty(await Store.ClaimRunnableExecutionsAsync("w2", 10, LeaseFor, Ct));
        Assert.Null(await Store.TryAcquireLeaseAsync("free", "w2", LeaseFor, Ct));
    }

    [Fact]
    public async Task ClaimRunnableExecutionsAsync_ConcurrentWorkers_DisjointClaimsCoverAll()
    {
        for (var i = 0; i < 24; i++)
        {
            await StartAsync($"e{i:D2}", T0.AddSeconds(i));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            await Store.ClaimRunnableExecutionsAsync($"w{w}", 10, LeaseFor, Ct))));

        var all = claims.SelectMany(c => c).Select(l => l.ExecutionId).ToList();
        Assert.Equal(24, all.Count);
        Assert.Equal(24, all.Distinct().Count());
    }

    [Fact]
    public async Task ClaimRunnableExecutionsAsync_MaxCount_ClaimsAtMostThatMany()
    {
        for (var i = 0; i < 5; i++)
        {
            await StartAsync($"e{i}", T0.AddSeconds(i));
        }

        var claimed = await Store.ClaimRunnableExecutionsAsync("w", 2, LeaseFor, Ct);

        Assert.Equal(["e0", "e1"], claimed.Select(l => l.ExecutionId));
    }
}
