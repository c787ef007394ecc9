using AgentFlow.Core.Events;
using AgentFlow.Core.Values;
using AgentFlow.Runtime.Stores;

namespace AgentFlow.Runtime.Tests.Stores;

public sealed class InMemoryEventStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(-3));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadAsync_FinishedLog_ReturnsEqualEventsDecodedFromTheArena(bool freezeInBackground)
    {
        var store = new InMemoryEventStore(freezeInBackground);
        var log = Finished("e1", 1, new ExecutionCompleted("e1", 4, At.AddSeconds(3), Value.Object(("answer", 42), ("list", Value.Array(1, "two", -0.0)))));
        await store.AppendAsync("e1", 0, log[..2], default);
        await store.AppendAsync("e1", 2, log[2..], default);
        await store.AppendAsync("e2", 0, Finished("e2", 2, new ExecutionCancelled("e2", 4, At)), default);
        await store.WhenFrozenAsync(default);

        var read = await store.ReadAsync("e1", 0, default);

        Assert.Equal(log, read);
        Assert.All(read, e => Assert.Equal(At.Offset, e.Timestamp.Offset));

        // Fresh objects prove the log was frozen rather than handed back from a list.
        Assert.NotSame(log[0], read[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadAsync_LogFrozenLast_ServesItsOwnObjectsUntilAnotherLogIsFrozen(bool freezeInBackground)
    {
        var store = new InMemoryEventStore(freezeInBackground);
        var log = Finished("e1", 1, new ExecutionCompleted("e1", 4, At, Value.Null));
        await store.AppendAsync("e1", 0, log[..3], default);
        await store.AppendAsync("e1", 3, log[3..], default);

        var right = await store.ReadAsync("e1", 2, default);
        await store.AppendAsync("e2", 0, Finished("e2", 2, new ExecutionCancelled("e2", 4, At))[..2], default);
        var whileOtherRuns = await store.ReadAsync("e1", 0, default);
        await store.AppendAsync("e2", 2, Finished("e2", 2, new ExecutionCancelled("e2", 4, At))[2..], default);
        await store.WhenFrozenAsync(default);
        var later = await store.ReadAsync("e1", 0, default);

        Assert.Same(log[1], right[0]);
        Assert.Equal(3, right.Count);
        Assert.Same(log[0], whileOtherRuns[0]);
        Assert.Equal(log, later);
        Assert.NotSame(log[0], later[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadAsync_FinishedLogFromSequence_ReturnsTheTail(bool freezeInBackground)
    {
        var store = new InMemoryEventStore(freezeInBackground);
        var log = Finished("e1", 1, new ExecutionCancelled("e1", 4, At));
        await store.AppendAsync("e1", 0, log, default);

        // Another log frozen after it, so this one no longer keeps its objects.
        await store.AppendAsync("e2", 0, Finished("e2", 2, new ExecutionCancelled("e2", 4, At)), default);
        await store.WhenFrozenAsync(default);

        Assert.NotSame(log[2], (await store.ReadAsync("e1", 3, default))[0]);
        Assert.Equal(log[2..], await store.ReadAsync("e1", 3, default));
        Assert.Equal(log, await store.ReadAsync("e1", -5, default));
        Assert.Empty(await store.ReadAsync("e1", 5, default));
        Assert.Empty(await store.ReadAsync("unknown", 0, default));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task AppendAsync_RetryAfterFailure_ThawsTheLogAndFreezesItAgain(bool failedInOneBatch, bool freezeInBackground)
    {
        // One batch freezes straight from the caller's list (the retry decodes); two keep the last frozen log's objects.
        var store = new InMemoryEventStore(freezeInBackground);
        var failed = new ExecutionFailed("e1", 4, At, new ErrorInfo("boom", "it broke", Value.Object(("why", "x")), Retryable: true), "b");
        var log = Finished("e1", 1, failed);
        await store.AppendAsync("e1", 0, failedInOneBatch ? log : log[..1], default);
        if (!failedInOneBatch)
        {
            await store.AppendAsync("e1", 1, log[1..], default);
        }

        await store.WhenFrozenAsync(default);
        var retry = new ExecutionEvent[]
        {
            new ExecutionRetried("e1", 5, At.AddMinutes(1), ["b"]),
            new NodeStarted("e1", 6, At.AddMinutes(1), "b", 2, Value.EmptyObject),
        };
        await store.AppendAsync("e1", 4, retry, default);
        var whileRunning = await store.ReadAsync("e1", 5, default);
        var done = new ExecutionCompleted("e1", 7, At.AddMinutes(2), Value.Null);
        await store.AppendAsync("e1", 6, [done], default);

        Assert.Same(retry[0], whileRunning[0]);
        Assert.Equal([.. log, .. retry, done], await store.ReadAsync("e1", 0, default));
        Assert.True(store.DeadArenaBytes > 0, "the first frozen copy is counted as dead space");
    }

    [Fact]
    public async Task AppendAsync_FrozenLogWithWrongExpectedSequence_ThrowsConcurrencyAndKeepsTheLog()
    {
        var store = new InMemoryEventStore();
        var log = Finished("e1", 1, new ExecutionCompleted("e1", 4, At, Value.Null));
        await store.AppendAsync("e1", 0, log, default);
        await store.WhenFrozenAsync(default);

        var stale = await Assert.ThrowsAsync<EventStoreConcurrencyException>(() =>
            store.AppendAsync("e1", 3, [new ExecutionRetried("e1", 4, At, [])], default).AsTask());
        var fresh = await Assert.ThrowsAsync<EventStoreConcurrencyException>(() =>
            store.AppendAsync("e1", 0, [new ExecutionRetried("e1", 1, At, [])], default).AsTask());

        Assert.Contains("4", stale.Message, StringComparison.Ordinal);
        Assert.Contains("4", fresh.Message, StringComparison.Ordinal);
        Assert.Equal(log, await store.ReadAsync("e1", 0, default));
        Assert.Equal(0, store.DeadArenaBytes);
    }

    [Fact]
    public async Task AppendAsync_EmptyBatchOnFrozenLog_LeavesItFrozen()
    {
        var store = new InMemoryEventStore();
        var log = Finished("e1", 1, new ExecutionCompleted("e1", 4, At, Value.Null));
        await store.AppendAsync("e1", 0, log, default);
        await store.WhenFrozenAsync(default);

        await store.AppendAsync("e1", 4, [], default);

        Assert.Equal(0, store.DeadArenaBytes);
        Assert.Equal(log, await store.ReadAsync("e1", 0, default));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AppendAsync_ManyLogsAcrossChunksAndOneLargerThanAChunk_AllReadBackEqual(bool freezeInBackground)
    {
        var store = new InMemoryEventStore(freezeInBackground);
        var logs = new List<ExecutionEvent[]>();
        var filler = new string('f', 700);
        for (var i = 0; i < 3000; i++)
        {
            // Distinct text per log (the string table dedupes only within one log): ~1 KB each, so three chunks fill.
            var id = $"exec-{i}";
            var output = i == 1500 ? Value.From(new string('L', 2_000_000)) : Value.From(filler + i);
            logs.Add(Finished(id, 1, new ExecutionCompleted(id, 4, At.AddTicks(i), output)));
            await store.AppendAsync(id, 0, logs[i], default);
        }

        await store.WhenFrozenAsync(default);
        Assert.Equal(0, store.FreezeFailures);
        for (var i = 0; i < logs.Count; i++)
        {
            Assert.Equal(logs[i], await store.ReadAsync($"exec-{i}", 1, default));
        }
    }

    [Fact]
    public async Task AppendAsync_ConcurrentExecutions_EachReadsBackItsOwnLog()
    {
        var store = new InMemoryEventStore();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                var id = $"w{worker}-{i}";
                var log = Finished(id, worker, new ExecutionCompleted(id, 4, At, Value.Object(("worker", worker), ("i", i))));
                await store.AppendAsync(id, 0, log[..1], default);
                await store.AppendAsync(id, 1, log[1..], default);
                Assert.Equal(log, await store.ReadAsync(id, 0, default));
                if (i > 0)
                {
                    Assert.Equal(4, (await store.ReadAsync($"w{worker}-{i - 1}", 0, default)).Count);
                }
            }
        })));

        var count = 0;
        await foreach (var summary in store.ListExecutionsAsync(default))
        {
            Assert.Equal("succeeded", summary.Status);
            count++;
        }

        Assert.Equal(1600, count);
    }

    [Fact]
    public async Task AppendAsync_WritersAndReadersWhileTheFreezerRuns_EveryReadIsWhatWasAppended()
    {
        var store = new InMemoryEventStore(freezeInBackground: true);
        var planned = new System.Collections.Concurrent.ConcurrentDictionary<string, ExecutionEvent[]>();
        using var writing = new CancellationTokenSource();

        var readers = Enumerable.Range(0, 2).Select(reader => Task.Run(async () =>
        {
            var random = new Random(reader);
            var checkedReads = 0;
            while (!writing.IsCancellationRequested || checkedReads == 0)
            {
                var id = $"w{random.Next(3)}-{random.Next(400)}";
                if (!planned.TryGetValue(id, out var log))
                {
                    continue;
                }

                // Whatever the moment (live, queued, thawed, frozen), a read is a prefix of the log from the sequence asked.
                var from = random.Next(0, 4);
                var read = await store.ReadAsync(id, from, default);
                var expected = log.Skip(Math.Max(from - 1, 0)).Take(read.Count).ToArray();
                Assert.Equal(expected, read);
                checkedReads++;
            }

            return checkedReads;
        })).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 400; i++)
            {
                var id = $"w{worker}-{i}";
                var failed = new ExecutionFailed(id, 4, At, new ErrorInfo("boom", "x", Retryable: true), "a");
                var retried = i % 5 == 0;
                ExecutionEvent[] log = retried
                    ? [.. Finished(id, i, failed), new ExecutionRetried(id, 5, At, ["a"]), new ExecutionCompleted(id, 6, At, Value.From(i))]
                    : Finished(id, i, new ExecutionCompleted(id, 4, At, Value.From(i)));
                planned[id] = log;
                await store.AppendAsync(id, 0, log[..4], default);
                if (retried)
                {
                    // A retry races the freeze of the failed log: it may be queued, being encoded or frozen.
                    await store.AppendAsync(id, 4, log[4..5], default);
                    await store.AppendAsync(id, 5, log[5..], default);
                }
            }
        })));

        await writing.CancelAsync();
        Assert.All(await Task.WhenAll(readers), checkedReads => Assert.True(checkedReads > 0));
        await store.WhenFrozenAsync(default);
        Assert.Equal(0, store.FreezeFailures);
        foreach (var (id, log) in planned)
        {
            Assert.Equal(log, await store.ReadAsync(id, 0, default));
        }
    }

    [Fact]
    public async Task ListExecutionsAsync_FrozenAndLiveLogs_ListedInOrderWithStatus()
    {
        var store = new InMemoryEventStore();
        var child = Finished("child", 1, new ExecutionFailed("child", 4, At.AddSeconds(9), new ErrorInfo("x", "y")), parent: "parent");
        await store.AppendAsync("parent", 0, Finished("parent", 1, new ExecutionCompleted("parent", 4, At, Value.Null))[..3], default);
        await store.AppendAsync("child", 0, child, default);
        await Assert.ThrowsAsync<EventStoreConcurrencyException>(() => store.AppendAsync("ghost", 2, [new ExecutionRetried("ghost", 3, At, [])], default).AsTask());
        await store.AppendAsync("late", 0, Finished("late", 3, new ExecutionCompleted("late", 4, At, Value.Null)), default);

        var summaries = new List<ExecutionSummary>();
        await foreach (var summary in store.ListExecutionsAsync(default))
        {
            summaries.Add(summary);
        }

        // The refused append to an unknown log created none, and took no place in the order.
        Assert.Equal(["parent", "child", "late"], summaries.Select(s => s.ExecutionId));
        Assert.Empty(await store.ReadAsync("ghost", 0, default));
        Assert.Equal("running", summaries[0].Status);
        Assert.Equal(new ExecutionSummary("child", "wf", "failed", At, At.AddSeconds(9), "parent", 4), summaries[1]);
    }

    private static ExecutionEvent[] Finished(string id, int variant, ExecutionEvent last, string? parent = null) =>
    [
        new ExecutionStarted(id, 1, At, "wf", 1, Value.Object(("n", variant)), parent, parent is null ? null : "map"),
        new NodeStarted(id, 2, At.AddSeconds(1), "a", 1, Value.Object(("url", "http://127.0.0.1/")) ),
        new NodeSucceeded(id, 3, At.AddSeconds(2), "a", 1, Value.Object(("status", 200), ("body", "ok")), "high"),
        last,
    ];
}
