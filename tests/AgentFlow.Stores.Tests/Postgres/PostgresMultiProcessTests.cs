using System.Collections.Concurrent;
using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
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

    /// <summary>
    /// Deletes racing starts through both instances, as two servers would. The invariant: once a delete returned
    /// <see cref="DefinitionDeleteOutcome.Deleted"/>, no execution of a deleted version is unfinished, and every start of
    /// one either committed before the delete (and then the delete saw it: refused, or it had already finished) or
    /// failed with <see cref="WorkflowDeletedException"/> leaving nothing stored.
    /// </summary>
    [PostgresFact]
    public async Task DeleteDefinitionAsync_RacingFirstAppendsOnAnotherInstance_NeverLeavesAnUnfinishedExecutionWithoutItsDefinition()
    {
        const int rounds = 60;
        const int startsPerRound = 6;
        IWorkflowStore[] stores = [First, Second];
        for (var round = 0; round < rounds; round++)
        {
            var workflowId = $"wf-{round}";
            await stores[0].SaveDefinitionAsync(workflowId, DefinitionFormats.Yaml, "v1", default);
            await stores[1].SaveDefinitionAsync(workflowId, DefinitionFormats.Yaml, "v2", default);

            // The delete goes out among the starts at a different place each round, from either instance; starts
            // alternate between instances and versions, and every other one finishes at once.
            var starts = new List<Task<StartOutcome>>();
            Task<DefinitionDeleteResult>? delete = null;
            for (var i = 0; i <= startsPerRound; i++)
            {
                if (i == round % (startsPerRound + 1))
                {
                    delete = stores[(round + 1) % 2].DeleteDefinitionAsync(workflowId, default).AsTask();
                }
                else
                {
                    starts.Add(StartAsync(stores[i % 2], $"{workflowId}-e{i}", workflowId, version: 1 + (i % 2), finish: i % 3 == 0));
                }
            }

            var started = await Task.WhenAll(starts);
            var deleted = await delete!;

            foreach (var start in started)
            {
                var row = await stores[0].GetExecutionAsync(start.ExecutionId, default);
                Assert.Equal(start.Started, row is not null);
                if (!start.Started)
                {
                    Assert.Empty(await stores[0].ReadAsync(start.ExecutionId, 1, default));
                }
            }

            if (deleted.Outcome == DefinitionDeleteOutcome.Deleted)
            {
                // Only executions that had finished before the delete may exist; none that stays unfinished.
                Assert.DoesNotContain(started, s => s.Started && !s.Finishes);
                Assert.Null(await stores[0].GetLatestDefinitionAsync(workflowId, default));
            }
            else
            {
                Assert.Equal(DefinitionDeleteOutcome.InUse, deleted.Outcome);
                Assert.Contains(started, s => s.Started && s.ExecutionId == deleted.UnfinishedExecutionId);
                Assert.Equal(2, (await stores[1].GetLatestDefinitionAsync(workflowId, default))!.Version);
                Assert.DoesNotContain(started, s => !s.Started);
            }
        }

        var orphans = await PostgresTestServer.ScalarAsync<long>($"""
            SELECT count(*) FROM "{_schema}".executions e
            WHERE e.status IN ('running', 'cancelling', 'paused')
            AND NOT EXISTS (SELECT 1 FROM "{_schema}".definitions d WHERE d.workflow_id = e.workflow_id AND d.version = e.workflow_version)
            """);
        Assert.Equal(0, orphans);

        // Which side wins a race depends on the machine, so both outcomes are also produced in a fixed order: a
        // start that committed first makes the delete report it, and a start after the delete is refused.
        await stores[0].SaveDefinitionAsync("wf-ordered", DefinitionFormats.Yaml, "v1", default);
        var before = await StartAsync(stores[0], "wf-ordered-before", "wf-ordered", version: 1, finish: false);
        Assert.True(before.Started);
        var refusedDelete = await stores[1].DeleteDefinitionAsync("wf-ordered", default);
        Assert.Equal((DefinitionDeleteOutcome.InUse, before.ExecutionId), (refusedDelete.Outcome, refusedDelete.UnfinishedExecutionId));
        await stores[0].AppendAsync(before.ExecutionId, 1, [new ExecutionCompleted(before.ExecutionId, 2, T0, Value.EmptyObject)], default);
        Assert.Equal(DefinitionDeleteOutcome.Deleted, (await stores[1].DeleteDefinitionAsync("wf-ordered", default)).Outcome);
        var after = await StartAsync(stores[0], "wf-ordered-after", "wf-ordered", version: 1, finish: false);
        Assert.False(after.Started);
        Assert.Null(await stores[0].GetExecutionAsync(after.ExecutionId, default));
    }

    private static async Task<StartOutcome> StartAsync(IWorkflowStore store, string executionId, string workflowId, int version, bool finish)
    {
        await Task.Yield();
        try
        {
            await store.AppendAsync(executionId, 0, [TestEvents.Started(executionId, T0, workflowId, version)], default);
        }
        catch (WorkflowDeletedException ex)
        {
            Assert.Equal((executionId, workflowId, version), (ex.ExecutionId, ex.WorkflowId, ex.Version));
            return new StartOutcome(executionId, Started: false, finish);
        }

        if (finish)
        {
            await store.AppendAsync(executionId, 1, [new ExecutionCompleted(executionId, 2, T0, Value.EmptyObject)], default);
        }

        return new StartOutcome(executionId, Started: true, finish);
    }

    private sealed record StartOutcome(string ExecutionId, bool Started, bool Finishes);
}
