using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Stores.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task AppendAsync_NewLog_ReadReturnsSameEventsInOrder()
    {
        ExecutionEvent[] events = [TestEvents.Started("e1", T0), .. TestEvents.Nodes("e1", 2, 3, T0.AddSeconds(1))];

        await Store.AppendAsync("e1", 0, events, Ct);

        Assert.Equal(events, await Store.ReadAsync("e1", 1, Ct));
    }

    [Fact]
    public async Task AppendAsync_EveryEventShape_RoundTripsThroughTheStore()
    {
        var at = T0.AddMinutes(3);
        ExecutionEvent[] events =
        [
            TestEvents.Started("e1", at, parent: "p1"),
            new NodeSucceeded("e1", 2, at, "a", 1, Value.Array(Value.From(1L), Value.From("x")), "yes"),
            new NodeFailed("e1", 3, at, "b", 1, new ErrorInfo("timeout", "too slow", Value.Object(("ms", Value.From(5L))), true), WillRetry: true),
            new NodeRetryScheduled("e1", 4, at, "b", 2, at.AddSeconds(30)),
            new TimerScheduled("e1", 5, at, "sleep", at.AddHours(1)),
            new VariablesAssigned("e1", 6, at, "set", Value.Object(("k", Value.True))),
            new ExecutionCancelRequested("e1", 7, at, "user"),
            new ExecutionCancelled("e1", 8, at),
        ];

        await Store.AppendAsync("e1", 0, events, Ct);

        Assert.Equal(events, await Store.ReadAsync("e1", 1, Ct));
    }

    [Fact]
    public async Task ReadAsync_FromSequence_ReturnsTailOnly()
    {
        await StartAsync("e1");
        await Store.AppendAsync("e1", 1, TestEvents.Nodes("e1", 2, 4, T0), Ct);

        var tail = await Store.ReadAsync("e1", 4, Ct);

        Assert.Equal([4L, 5L], tail.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ReadAsync_UnknownExecution_ReturnsEmpty() =>
        Assert.Empty(await Store.ReadAsync("missing", 1, Ct));

    [Fact]
    public async Task AppendAsync_StaleExpectedSequence_ThrowsAndChangesNothing()
    {
        await StartAsync("e1");
        await Store.AppendAsync("e1", 1, TestEvents.Nodes("e1", 2, 2, T0), Ct);
        var before = await Store.GetExecutionAsync("e1", Ct);

        var conflict = await Assert.ThrowsAsync<EventStoreConcurrencyException>(async () =>
            await Store.AppendAsync("e1", 1, [.. TestEvents.Nodes("e1", 2, 1, T0.AddHours(1)), new ExecutionCompleted("e1", 3, T0.AddHours(1), Value.Null)], Ct));

        Assert.Equal((1L, 3L), (conflict.ExpectedSequence, conflict.ActualSequence));
        Assert.Equal([1L, 2L, 3L], (await Store.ReadAsync("e1", 1, Ct)).Select(e => e.Sequence));
        Assert.Equal(before, await Store.GetExecutionAsync("e1", Ct), ExecutionRecordComparer.Instance);
    }

    [Fact]
    public async Task AppendAsync_NewLogExpectingEvents_ThrowsAndCreatesNothing()
    {
        await Assert.ThrowsAsync<EventStoreConcurrencyException>(async () => await Store.AppendAsync("e1", 2, TestEvents.Nodes("e1", 3, 1, T0), Ct));

        Assert.Empty(await Store.ReadAsync("e1", 1, Ct));
        Assert.Null(await Store.GetExecutionAsync("e1", Ct));
    }

    [Fact]
    public async Task AppendAsync_BatchWithGap_ThrowsArgumentExceptionAndChangesNothing()
    {
        await StartAsync("e1");

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Store.AppendAsync("e1", 1, [TestEvents.Node("e1", 2, T0), TestEvents.Node("e1", 4, T0)], Ct));

        Assert.Single(await Store.ReadAsync("e1", 1, Ct));
    }

    [Fact]
    public async Task AppendAsync_ManyWritersRaceOnOneLog_ExactlyOneWinsAndTheLogStaysContiguous()
    {
        await StartAsync("e1");

        var attempts = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.AppendAsync("e1", 1, TestEvents.Nodes("e1", 2, 3, T0.AddSeconds(i)), Ct);
                return true;
            }
            catch (EventStoreConcurrencyException)
            {
                return false;
            }
        }));
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, won => won);
        Assert.Equal([1L, 2L, 3L, 4L], (await Store.ReadAsync("e1", 1, Ct)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task AppendAsync_ConcurrentAppendersOnManyLogs_EveryLogContiguousAndIndexed()
    {
        const int Executions = 40;
        const int Appends = 15;

        await Task.WhenAll(Enumerable.Range(0, Executions).Select(x => Task.Run(async () =>
        {
            var id = $"e{x:D3}";
            await StartAsync(id);
            for (long seq = 2; seq <= Appends + 1; seq++)
            {
                await Store.AppendAsync(id, seq - 1, [TestEvents.Node(id, seq, T0)], Ct);
            }
        })));

        for (var x = 0; x < Executions; x++)
        {
            var id = $"e{x:D3}";
            var log = await Store.ReadAsync(id, 1, Ct);
            Assert.Equal(Enumerable.Range(1, Appends + 1).Select(i => (long)i), log.Select(e => e.Sequence));
            Assert.Equal(Appends + 1, (await Store.GetExecutionAsync(id, Ct))!.LastSequence);
        }
    }

    [Fact]
    public async Task ReadAsync_WhileBatchesAreAppended_NeverSeesAPartialBatch()
    {
        const int BatchSize = 5;
        const int Batches = 40;
        await StartAsync("e1");
        var lengths = new List<int>();

        var writer = Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                var after = 1 + (b * BatchSize);
                await Store.AppendAsync("e1", after, TestEvents.Nodes("e1", after + 1, BatchSize, T0), Ct);
            }
        });
        while (!writer.IsCompleted)
        {
            lengths.Add((await Store.ReadAsync("e1", 1, Ct)).Count);
            lengths.Add((int)(await Store.GetExecutionAsync("e1", Ct))!.LastSequence);
        }

        await writer;
        Assert.All(lengths, n => Assert.Equal(1, n % BatchSize));
        Assert.Equal(1 + (Batches * BatchSize), (await Store.ReadAsync("e1", 1, Ct)).Count);
    }

    [Fact]
    public async Task ListExecutionsAsync_SeveralExecutions_OldestFirstWithStatus()
    {
        await StartAsync("b", T0.AddSeconds(2));
        await StartAsync("a", T0.AddSeconds(1));
        await Store.AppendAsync("a", 1, [new ExecutionCompleted("a", 2, T0.AddSeconds(3), Value.Null)], Ct);

        var list = new List<ExecutionSummary>();
        await foreach (var summary in Store.ListExecutionsAsync(Ct))
        {
            list.Add(summary);
        }

        Assert.Equal(["a", "b"], list.Select(s => s.ExecutionId));
        Assert.Equal(["succeeded", "running"], list.Select(s => s.Status));
        Assert.Equal(T0.AddSeconds(3), list[0].FinishedAt);
    }
}
