using AgentFlow.Core.Events;
using AgentFlow.Core.Events.Binary;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Events.Binary;

/// <summary>
/// Strings an encoder meets in more than one log are numbered in the shared pool and written as that number: logs
/// written before and after a string was pooled, across the encoder forgetting its strings and past the pool's
/// capacity, all decode to exactly what was encoded, and a log that refers to the pool cannot be read without it.
/// </summary>
public sealed class EventLogStringPoolTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Fact]
    public void Encode_StringsOfEarlierLogs_PooledOnceAndEveryLogDecodesExactly()
    {
        var pool = new ConstantPool();
        var encoder = new EventLogEncoder(pool);
        var logs = new List<(ExecutionEvent[] Log, byte[] Bytes)>();
        for (var i = 0; i < 20; i++)
        {
            var log = Child("0f8c1f8e-6a53-4d0e-9d43-1b5e0d3b2a11", i);
            logs.Add((log, encoder.Encode(log).ToArray()));
            if (i == 0)
            {
                Assert.Equal(0, pool.StringCount);
            }
        }

        // The first log keeps its own table; from the second on, the strings all logs share are numbers in the pool
        // (node ids, the parent's id, values and the keys of one-key objects: the others are written as pooled shapes).
        var shared = pool.StringCount;
        Assert.InRange(shared, 8, 25);
        Assert.True(logs[2].Bytes.Length < logs[0].Bytes.Length - 100, $"{logs[2].Bytes.Length} vs {logs[0].Bytes.Length} bytes");
        foreach (var (log, bytes) in logs)
        {
            ExactEventAssert.Same(log, EventLogDecoder.Decode(bytes, log[0].ExecutionId, 0, pool));
        }

        // The strings are numbered once: later logs add only what is new to them (here nothing).
        encoder.Encode(Child("0f8c1f8e-6a53-4d0e-9d43-1b5e0d3b2a11", 20));
        Assert.Equal(shared, pool.StringCount);
    }

    [Fact]
    public void Decode_PooledStringsWithoutThePool_RefusedWithAPreciseError()
    {
        var pool = new ConstantPool();
        var encoder = new EventLogEncoder(pool);
        encoder.Encode(Child("p", 0));
        var log = Child("p", 1);
        var bytes = encoder.Encode(log).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => EventLogDecoder.Decode(bytes, log[0].ExecutionId, 0, null));
        Assert.Contains("pooled string", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<InvalidDataException>(() => EventLogDecoder.Decode(bytes, log[0].ExecutionId, 0, new ConstantPool()));
        Assert.Contains("which its pool does not hold", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(21, 1_000_000)]
    [InlineData(22, 7)]
    [InlineData(23, 0)]
    public void Encode_RandomLogsForgettingStringsAndFillingThePool_EachLogDecodesExactly(int seed, int capacity)
    {
        // Small string bounds make the encoder forget (and pool some strings again); a small pool fills up, after
        // which strings stay in the logs' own tables.
        var random = new RandomEvents(seed);
        var pool = new ConstantPool(capacity);
        var encoder = new EventLogEncoder(new EncoderStringTable(maxEntries: 16, maxPoolBytes: 512), pool);
        var logs = new List<(List<ExecutionEvent> Log, byte[] Bytes)>();
        for (var round = 0; round < 60; round++)
        {
            var log = random.Log($"exec-{round % 3}", 1 + (round * 7 % 25));
            logs.Add((log, encoder.Encode(log).ToArray()));
        }

        Assert.Equal(Math.Min(capacity, pool.StringCount), pool.StringCount);
        Assert.True(capacity == 0 || pool.StringCount > 0);
        foreach (var (log, bytes) in logs)
        {
            ExactEventAssert.Same(log, EventLogDecoder.Decode(bytes, log[0].ExecutionId, 0, pool));
        }
    }

    [Fact]
    public void Read_LogsFrozenBeforeAndAfterTheirStringsWerePooled_DecodeExactly()
    {
        var logs = new CompactEventLogs();
        var written = new List<ExecutionEvent[]>();
        for (var i = 0; i < 30; i++)
        {
            var log = Child(i % 2 == 0 ? "run-a" : "run-b", i);
            written.Add(log);
            logs.Append(log[0].ExecutionId, 0, log);
        }

        foreach (var log in written)
        {
            ExactEventAssert.Same(log, logs.Read(log[0].ExecutionId, 0).Events());
            ExactEventAssert.Same(log[3..], logs.Read(log[0].ExecutionId, 4).Events());
        }
    }

    // A loop's child: its parent's id, the body's node ids, the same keys in every log, the item differing.
    private static ExecutionEvent[] Child(string parent, int index)
    {
        var id = $"{parent}/loop_0/{index}";
        var locals = Value.Object(("item", index * 3), ("index", index), ("itemsType", "integer"));
        return
        [
            new ExecutionStarted(id, 1, At, "flowgram-52ce67a9f731.loop_0", 1, Value.EmptyObject, parent, "loop_0", Value.Object(("item", index * 3), ("index", index))) { InheritsParentContext = true },
            new NodeStarted(id, 2, At.AddTicks(index), "loop_0_block_start", 1, Value.Object(("node", Value.Object(("id", "loop_0_block_start"), ("type", "block-start"))), ("locals", locals))),
            new NodeSucceeded(id, 3, At.AddTicks(2 * index), "loop_0_block_start", 1, Value.Object(("inputs", Value.EmptyObject), ("outputs", Value.EmptyObject), ("vars", Value.EmptyObject), ("locals", Value.Object(("item", Value.Object(("type", "integer"), ("value", index * 3))), ("note", $"unique {index}"))))),
            new NodeStarted(id, 4, At.AddTicks(3 * index), "loop_0_block_end", 1, Value.Object(("node", Value.Object(("id", "loop_0_block_end"), ("type", "block-end"))))),
            new NodeSucceeded(id, 5, At.AddTicks(4 * index), "loop_0_block_end", 1, Value.Object(("inputs", Value.EmptyObject), ("outputs", Value.EmptyObject), ("vars", Value.EmptyObject))),
            new ExecutionCompleted(id, 6, At.AddTicks(5 * index), Value.Object(("$done", true))),
        ];
    }
}
