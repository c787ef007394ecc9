using AgentFlow.Core.Events;
using AgentFlow.Core.Events.Binary;
using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Events.Binary;

/// <summary>A definition's constant containers are written into encoded logs as a number in the store's pool.</summary>
public sealed class ConstantPoolTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Encode_ConstantOfATemplate_IsWrittenAsItsNumberAndDecodesToTheSameInstance()
    {
        var schema = Schema("loop_0");
        var constant = ValueTemplate.Constant(schema).Evaluate(EmptyScope.Instance);
        var runtimeCopy = Schema("loop_0");
        var pool = new ConstantPool();
        var encoder = new EventLogEncoder(pool);

        var first = encoder.Encode(Log("a", constant)).ToArray();
        var second = encoder.Encode(Log("b", constant)).ToArray();
        var copied = new EventLogEncoder(pool).Encode(Log("c", runtimeCopy)).ToArray();

        // An equal object built at run time is no constant: it is copied, so its log is the larger.
        Assert.True(second.Length + 100 < copied.Length, $"constant log {second.Length} bytes, copied log {copied.Length} bytes");
        Assert.Equal(1, pool.Count);
        foreach (var (bytes, id) in new[] { (first, "a"), (second, "b") })
        {
            var decoded = EventLogDecoder.Decode(bytes, id, 0, pool);
            ExactEventAssert.Same(Log(id, constant), decoded);
            Assert.Same(schema.AsObject(), ((NodeStarted)decoded[0]).Parameters["node"].AsObject());
        }

        ExactEventAssert.Same(Log("c", runtimeCopy), EventLogDecoder.Decode(copied, "c", 0, pool));
    }

    [Fact]
    public void TryGetNumber_AfterTheConstantsMoved_GivesEachItsFirstNumber()
    {
        // The pool remembers recent constants by address: once the collector moves them, it must find them again
        // by reference, not number them twice.
        var constants = Enumerable.Range(0, 300).Select(i => ValueTemplate.Constant(Schema($"node_{i}")).Evaluate(EmptyScope.Instance)).ToArray();
        var pool = new ConstantPool();
        var first = constants.Select(c => pool.TryGetNumber(c, out var number) ? number : -1).ToArray();

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var again = constants.Reverse().Select(c => pool.TryGetNumber(c, out var number) ? number : -1).Reverse().ToArray();

        Assert.Equal(Enumerable.Range(0, 300), first);
        Assert.Equal(first, again);
        Assert.Equal(300, pool.Count);
    }

    [Fact]
    public void Decode_LogReferringToAConstantWithoutItsPool_FailsWithAClearError()
    {
        var constant = ValueTemplate.Constant(Value.Array(1, "two", Value.EmptyObject)).Evaluate(EmptyScope.Instance);
        var encoded = new EventLogEncoder(new ConstantPool()).Encode(Log("a", constant)).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => EventLogDecoder.Decode(encoded, "a", 0));
        Assert.Contains("refers to constant 0, but no constant pool was given", error.Message, StringComparison.Ordinal);
        var other = Assert.Throws<InvalidDataException>(() => EventLogDecoder.Decode(encoded, "a", 0, new ConstantPool()));
        Assert.Contains("constant 0, which its pool does not hold", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_PoolFull_CopiesFurtherConstantsAndStillDecodesThem()
    {
        var pool = new ConstantPool();
        var encoder = new EventLogEncoder(pool);
        for (var i = 0; i < ConstantPool.Capacity; i++)
        {
            encoder.Encode(Log("fill", ValueTemplate.Constant(Value.Array(i)).Evaluate(EmptyScope.Instance)));
        }

        var late = ValueTemplate.Constant(Schema("late")).Evaluate(EmptyScope.Instance);
        var encoded = encoder.Encode(Log("late", late)).ToArray();

        Assert.Equal(ConstantPool.Capacity, pool.Count);
        var decoded = EventLogDecoder.Decode(encoded, "late", 0, pool);
        ExactEventAssert.Same(Log("late", late), decoded);
        Assert.NotSame(late.AsObject(), ((NodeStarted)decoded[0]).Parameters["node"].AsObject());
    }

    [Fact]
    public async Task Read_WhileTheFreezerNumbersNewConstants_DecodesEveryLogOnOtherThreads()
    {
        // The store's pattern: appends under a lock, the background freezer numbering constants as it encodes,
        // decoding of what a read returned outside the lock, on any thread.
        var gate = new Lock();
        var logs = new CompactEventLogs(gate);
        var written = new List<(string Id, Value Constant)>();
        using var done = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var checkedLogs = 0;
            while (!done.IsCancellationRequested || checkedLogs == 0)
            {
                EventLogRead read;
                (string Id, Value Constant) entry;
                lock (gate)
                {
                    if (written.Count == 0)
                    {
                        continue;
                    }

                    entry = written[Random.Shared.Next(written.Count)];
                    read = logs.Read(entry.Id, 0);
                }

                ExactEventAssert.Same(Log(entry.Id, entry.Constant), read.Events());
                checkedLogs++;
            }

            return checkedLogs;
        })).ToArray();

        for (var i = 0; i < 3000; i++)
        {
            var constant = ValueTemplate.Constant(Schema($"node_{i}")).Evaluate(EmptyScope.Instance);
            var id = $"exec-{i}";
            lock (gate)
            {
                logs.Append(id, Log(id, constant));
                written.Add((id, constant));
            }
        }

        await logs.WhenFrozenAsync(default);
        await done.CancelAsync();
        Assert.All(await Task.WhenAll(readers), checkedLogs => Assert.True(checkedLogs > 0));
        Assert.Equal(3000, logs.ConstantCount);
        Assert.Equal(0, logs.FreezeFailures);
    }

    private static Value Schema(string id) => Value.Object(
        ("id", id),
        ("type", "loop"),
        ("data", Value.Object(
            ("title", "A loop with a long enough title to matter"),
            ("loopFor", Value.Object(("type", "ref"), ("content", Value.Array("start_0", "items")))),
            ("outputs", Value.Object(("type", "object"), ("properties", Value.Object(("items", Value.Object(("type", "array"))))))))));

    private static ExecutionEvent[] Log(string id, Value node) =>
    [
        new NodeStarted(id, 1, At, "loop_0", 1, Value.Object(("node", node), ("refs", Value.EmptyObject))),
        new NodeSucceeded(id, 2, At.AddMilliseconds(1), "loop_0", 1, Value.Object(("items", Value.Array(1, 2, 3))), null),
        new ExecutionCompleted(id, 3, At.AddMilliseconds(2), Value.EmptyObject),
    ];

    private sealed class EmptyScope : IExpressionScope
    {
        public static EmptyScope Instance { get; } = new();

        public TimeProvider Time => TimeProvider.System;

        public bool TryGetRoot(string name, out Value value)
        {
            value = default;
            return false;
        }

        public bool TryGetNode(string nodeId, out Value node)
        {
            node = default;
            return false;
        }
    }
}
