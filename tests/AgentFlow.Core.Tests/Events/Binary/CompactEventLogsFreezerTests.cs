using AgentFlow.Core.Events;
using AgentFlow.Core.Events.Binary;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Events.Binary;

/// <summary>
/// Ended logs are encoded by a background freezer: reads stay exact before and after the swap, a retry never lets a
/// stale encoding in, the backlog is bounded, and a log that cannot be encoded stays readable with the failure seen.
/// </summary>
public sealed class CompactEventLogsFreezerTests
{
    private static readonly DateTimeOffset At = new(2026, 2, 3, 4, 5, 6, TimeSpan.FromHours(2));

    [Fact]
    public async Task Append_EndedLogs_ReadAsObjectsWhileQueuedAndDecodedOnceFrozen()
    {
        var gate = new Lock();
        var logs = new CompactEventLogs(gate);
        var written = Enumerable.Range(0, 5).Select(i => Log($"e{i}", i)).ToList();
        lock (gate)
        {
            foreach (var log in written)
            {
                logs.Append(log[0].ExecutionId, log);
            }

            // The drain task waits for this lock, so nothing can be frozen yet.
            Assert.Equal(5, logs.FreezeBacklog);
            Assert.All(written, log => Assert.Same(log[0], logs.Read(log[0].ExecutionId, 0).Events()[0]));
        }

        await logs.WhenFrozenAsync(default);

        lock (gate)
        {
            Assert.Equal(0, logs.FreezeBacklog);
        }

        for (var i = 0; i < written.Count; i++)
        {
            EventLogRead read;
            lock (gate)
            {
                read = logs.Read($"e{i}", 2);
            }

            ExactEventAssert.Same(written[i][1..], read.Events());
            if (i < written.Count - 1)
            {
                // Only the log frozen last keeps its objects.
                Assert.NotSame(written[i][1], read.Events()[0]);
            }
        }

        Assert.Equal(0, logs.FreezeFailures);
    }

    [Fact]
    public async Task Append_PastTheBacklogBound_EncodesOnTheAppendingThread()
    {
        var gate = new Lock();
        var logs = new CompactEventLogs(gate, maxBacklog: 4);
        var written = Enumerable.Range(0, 10).Select(i => Log($"e{i}", i)).ToList();
        lock (gate)
        {
            foreach (var log in written)
            {
                logs.Append(log[0].ExecutionId, log);
            }

            Assert.Equal(4, logs.FreezeBacklog);
            for (var i = 0; i < written.Count; i++)
            {
                var first = logs.Read($"e{i}", 0).Events()[0];

                // Queued logs are still their objects; the others were encoded at once, straight from the batch.
                if (i < 4)
                {
                    Assert.Same(written[i][0], first);
                }
                else
                {
                    Assert.NotSame(written[i][0], first);
                }
            }
        }

        await logs.WhenFrozenAsync(default);

        for (var i = 0; i < written.Count; i++)
        {
            EventLogRead read;
            lock (gate)
            {
                Assert.Equal(0, logs.FreezeBacklog);
                read = logs.Read($"e{i}", 0);
            }

            ExactEventAssert.Same(written[i], read.Events());
        }
    }

    [Fact]
    public async Task Append_RetryOfAQueuedLog_TheStaleEncodingIsDroppedAndTheLogReadsWhole()
    {
        var gate = new Lock();
        var logs = new CompactEventLogs(gate);
        var failed = Log("e1", 1, failed: true);
        var retry = Retry("e1", failed.Count);
        lock (gate)
        {
            logs.Append("e1", 0, failed);
            logs.Append("e1", failed.Count, retry);
        }

        await logs.WhenFrozenAsync(default);

        EventLogRead read;
        lock (gate)
        {
            Assert.True(logs.TryGetCount("e1", out var count));
            Assert.Equal(failed.Count + retry.Length, count);
            read = logs.Read("e1", 0);
        }

        ExactEventAssert.Same([.. failed, .. retry], read.Events());
        Assert.Same(retry[0], read.Events()[failed.Count]);
        Assert.True(logs.DeadBytes > 0, "the queued log was encoded, then its bytes dropped as stale");
    }

    [Fact]
    public async Task Append_RetryWhileTheFreezerEncodesTheLog_NeverSwapsInTheOldBytes()
    {
        var gate = new Lock();
        var logs = new CompactEventLogs(gate, CompactEventLogs.MaxBacklog);
        var failed = Log("e1", 1, failed: true);
        var retry = Retry("e1", failed.Count);
        var done = new ExecutionCompleted("e1", failed.Count + retry.Length + 1, At.AddMinutes(5), Value.From("second try"));
        lock (logs.EncodingLock)
        {
            lock (gate)
            {
                logs.Append("e1", 0, failed);
            }

            // The drain task takes the log, then waits for the encoding lock this thread holds.
            Assert.True(SpinWait.SpinUntil(() => { lock (gate) { return logs.FreezingNow > 0; } }, TimeSpan.FromSeconds(30)));
            lock (gate)
            {
                logs.Append("e1", failed.Count, retry);
                logs.Append("e1", failed.Count + retry.Length, [done]);
            }
        }

        await logs.WhenFrozenAsync(default);
        lock (gate)
        {
            logs.Append("other", 0, Log("other", 2));
        }

        await logs.WhenFrozenAsync(default);

        EventLogRead read;
        lock (gate)
        {
            read = logs.Read("e1", 0);
        }

        var all = read.Events();
        ExactEventAssert.Same([.. failed, .. retry, done], all);
        Assert.NotSame(done, all[^1]);
        Assert.True(logs.DeadBytes > 0, "the first encoding was dropped");
        Assert.Equal(0, logs.FreezeFailures);
    }

    [Fact]
    public async Task Append_LogTheEncoderCannotWrite_StaysReadableAndTheFailureIsRecorded()
    {
        var gate = new Lock();
        var logs = new CompactEventLogs(gate);
        ExecutionEvent[] odd =
        [
            new ExecutionStarted("odd", 1, At, "wf", 1, Value.EmptyObject, null, null),
            new UnknownEvent("odd", 2, At),
            new ExecutionCompleted("odd", 3, At, Value.Null),
        ];
        lock (gate)
        {
            logs.Append("odd", 0, odd);
        }

        await logs.WhenFrozenAsync(default);
        lock (gate)
        {
            logs.Append("fine", 0, Log("fine", 1));
        }

        await logs.WhenFrozenAsync(default);

        Assert.Equal(1, logs.FreezeFailures);
        Assert.IsType<NotSupportedException>(logs.LastFreezeError);
        Assert.Contains(nameof(UnknownEvent), logs.LastFreezeError.Message, StringComparison.Ordinal);
        lock (gate)
        {
            Assert.Equal(odd, logs.Read("odd", 0).Events());
            Assert.Same(odd[1], logs.Read("odd", 0).Events()[1]);
            Assert.Equal(0, logs.FreezeBacklog);
        }
    }

    private static List<ExecutionEvent> Log(string id, int variant, bool failed = false) =>
    [
        new ExecutionStarted(id, 1, At, "wf", 1, Value.Object(("n", variant)), null, null),
        new NodeStarted(id, 2, At.AddSeconds(1), "a", 1, Value.Object(("url", "http://127.0.0.1/"))),
        new NodeSucceeded(id, 3, At.AddSeconds(2), "a", 1, Value.Object(("status", 200), ("body", $"ok {variant}")), "high"),
        failed
            ? new ExecutionFailed(id, 4, At.AddSeconds(3), new ErrorInfo("boom", "it broke", Retryable: true), "a")
            : new ExecutionCompleted(id, 4, At.AddSeconds(3), Value.Array(variant, "done")),
    ];

    private static ExecutionEvent[] Retry(string id, long after) =>
    [
        new ExecutionRetried(id, after + 1, At.AddMinutes(1), ["a"]),
        new NodeStarted(id, after + 2, At.AddMinutes(1), "a", 2, Value.EmptyObject),
    ];

    private sealed record UnknownEvent(string ExecutionId, long Sequence, DateTimeOffset Timestamp)
        : ExecutionEvent(ExecutionId, Sequence, Timestamp);
}
