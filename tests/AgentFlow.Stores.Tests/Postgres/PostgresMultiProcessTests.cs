using System.Collections.Concurrent;
using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Stores.Postgres;
using AgentFlow.Testing;

namespace AgentFlow.Stores.Tests.Postgres;

/// <summary>Two store instances on one schema, as two worker processes would have.</summary>
public sealed class PostgresMultiProcessTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(30);
    private readonly string _schema = PostgresTestServer.NewSchema();
    private readonly FakeTimeProvider _time = new(T0);
    private PostgresWorkflowStore? _first;
    private PostgresWorkflowStore? _second;

    private PostgresWorkflowStore First => _first!;

    private PostgresWorkflowStore Second => _second!;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.SkipReason is not null)
        {
            return;
        }

        _first = await PostgresTestServer.OpenAsync(_schema, _time);
        _second = await PostgresTestServer.OpenAsync(_schema, _time);
    }

    public async Task DisposeAsync()
    {
        if (_first is null)
        {
            return;
        }

        await _first.DisposeAsync();
        await _second!.DisposeAsync();
        await PostgresTestServer.DropSchemaAsync(_schema);
    }

    [PostgresFact]
    public async Task ClaimRunnableExecutionsAsync_TwoInstancesRacing_NeverClaimTheSameExecution()
    {
        const int executions = 120;
        for (var i = 0; i < executions; i++)
        {
            await First.AppendAsync($"e{i:D3}", 0, [TestEvents.Started($"e{i:D3}", T0.AddTicks(i))], CancellationToken.None);
        }

        var claims = new ConcurrentBag<(string Owner, string ExecutionId)>();
        async Task ClaimUntilNoneLeftAsync(PostgresWorkflowStore store, string owner)
        {
            while (true)
            {
                var leases = await store.ClaimRunnableExecutionsAsync(owner, 3, LeaseFor, CancellationToken.None);
                if (leases.Count == 0)
                {
                    return;
                }

                foreach (var lease in leases)
                {
                    Assert.Equal(owner, lease.OwnerId);
                    claims.Add((owner, lease.ExecutionId));
                }
            }
        }

        // Four claimers per instance, so claims also race inside each process.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => ClaimUntilNoneLeftAsync(i % 2 == 0 ? First : Second, $"worker-{i}"))));

        var claimed = claims.Select(c => c.ExecutionId).ToList();
        Assert.Equal(executions, claimed.Count);
        Assert.Equal(executions, claimed.Distinct(StringComparer.Ordinal).Count());
        Assert.True(claims.Select(c => c.Owner).Distinct().Count() > 1, "one claimer took everything, so the race was not exercised");
    }

    [PostgresFact]
    public async Task ClaimRunnableExecutionsAsync_OwnerStopsRenewing_OtherInstanceTakesOverAfterExpiry()
    {
        await First.AppendAsync("e1", 0, [TestEvents.Started("e1", T0)], CancellationToken.None);
        var held = Assert.Single(await First.ClaimRunnableExecutionsAsync("crashed", 10, LeaseFor, CancellationToken.None));

        _time.Advance(LeaseFor - TimeSpan.FromTicks(1));
        Assert.Empty(await Second.ClaimRunnableExecutionsAsync("survivor", 10, LeaseFor, CancellationToken.None));
        _time.Advance(TimeSpan.FromTicks(1));
        var taken = Assert.Single(await Second.ClaimRunnableExecutionsAsync("survivor", 10, LeaseFor, CancellationToken.None));

        Assert.Equal(new ExecutionLease("e1", "survivor", held.ExpiresAt + LeaseFor), taken);
        Assert.Null(await First.RenewLeaseAsync("e1", "crashed", LeaseFor, CancellationToken.None));
        Assert.Null(await First.TryAcquireLeaseAsync("e1", "crashed", LeaseFor, CancellationToken.None));
    }

    [PostgresFact]
    public async Task ClaimDueTimersAsync_TwoInstancesRacing_EachTimerClaimedOnce()
    {
        for (var i = 0; i < 60; i++)
        {
            await First.ScheduleTimerAsync(new DurableTimer("e1", $"t{i:D2}", T0.AddTicks(-i)), CancellationToken.None);
        }

        var claims = new ConcurrentBag<string>();
        async Task ClaimAllAsync(PostgresWorkflowStore store, string owner)
        {
            while ((await store.ClaimDueTimersAsync(owner, 2, LeaseFor, CancellationToken.None)) is { Count: > 0 } timers)
            {
                foreach (var timer in timers)
                {
                    claims.Add(timer.TimerId);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => ClaimAllAsync(i % 2 == 0 ? First : Second, $"w{i}"))));

        Assert.Equal(60, claims.Count);
        Assert.Equal(60, claims.Distinct(StringComparer.Ordinal).Count());
    }

    [PostgresFact]
    public async Task AppendAsync_TwoInstancesRacingOnOneLog_ExactlyOneWinsEachSequence()
    {
        await First.AppendAsync("e1", 0, [TestEvents.Started("e1", T0)], CancellationToken.None);
        var winners = 0;
        var losers = 0;

        async Task AppendAsync(PostgresWorkflowStore store)
        {
            try
            {
                await store.AppendAsync("e1", 1, TestEvents.Nodes("e1", 2, 3, T0), CancellationToken.None);
                Interlocked.Increment(ref winners);
            }
            catch (EventStoreConcurrencyException conflict)
            {
                Assert.Equal(4, conflict.ActualSequence);
                Interlocked.Increment(ref losers);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => AppendAsync(i % 2 == 0 ? First : Second))));

        Assert.Equal((1, 9), (winners, losers));
        Assert.Equal([1L, 2L, 3L, 4L], (await Second.ReadAsync("e1", 1, CancellationToken.None)).Select(e => e.Sequence));
        Assert.Equal(4, (await Second.GetExecutionAsync("e1", CancellationToken.None))!.LastSequence);
    }
}
