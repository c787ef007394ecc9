using AgentFlow.Core.Events;
using AgentFlow.Core.Events.Binary;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Events.Binary;

/// <summary>
/// Objects whose key sequence an encoder met in an earlier log are written as a pooled shape number and their values:
/// logs written before and after a shape was pooled, with keys of the same content but other instances, keys in
/// another order, past the pool's shape capacity, all decode to exactly what was encoded (the same as an encoder
/// without shapes gives back), and a log that refers to a pooled shape cannot be read without the pool.
/// </summary>
public sealed class EventLogShapePoolTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Fact]
    public void Encode_ShapesOfEarlierLogs_PooledOnceSmallerAndEveryLogDecodesExactly()
    {
        var pool = new ConstantPool();
        var encoder = new EventLogEncoder(pool);
        var logs = new List<(ExecutionEvent[] Log, byte[] Bytes)>();
        for (var i = 0; i < 20; i++)
        {
            var log = Child(i);
            logs.Add((log, encoder.Encode(log).ToArray()));
            if (i == 0)
            {
                Assert.Equal(0, pool.ShapeCount);
            }
        }

        // {item,index}, {node,locals}, {id,type}, {item,index,itemsType}, {type,value}, {inputs,outputs,vars,locals},
        // {inputs,outputs,vars}; {$done} has one key only and stays written by name.
        var shapes = pool.ShapeCount;
        Assert.Equal(7, shapes);
        foreach (var (log, bytes) in logs)
        {
            ExactEventAssert.Same(log, EventLogDecoder.Decode(bytes, log[0].ExecutionId, 0, pool));
        }

        // Numbered once: later logs add no shape, and write fewer bytes than with names.
        var withShapes = encoder.Encode(Child(20)).Length;
        Assert.Equal(shapes, pool.ShapeCount);
        var namesOnly = new EventLogEncoder(new EncoderStringTable(), new ConstantPool(), shapes: false);
        namesOnly.Encode(Child(19));
        namesOnly.Encode(Child(18));
        var withNames = namesOnly.Encode(Child(20)).Length;
        Assert.True(withShapes < withNames, $"{withShapes} bytes with shapes, {withNames} with names");
    }

    [Fact]
    public void Encode_SameKeysAsOtherInstancesInAnotherOrderOrOneKeyOther_DecodesExactlyAndReusesTheShapeByContent()
    {
        var pool = new ConstantPool();
        var encoder = new EventLogEncoder(pool);
        var logs = new List<ExecutionEvent[]>();
        for (var i = 0; i < 6; i++)
        {
            // Fresh key instances of the same content each log: the shape is found again by content, not pooled again.
            var value = Value.Object(
                (new string("alpha".AsSpan()), i),
                (new string("beta".AsSpan()), "b"),
                (new string("gamma".AsSpan()), true));

            // The same keys in another order are another shape: names come back in the order they were written.
            var reversed = Value.Object(("gamma", i), ("beta", "b"), ("alpha", false));

            // Same first key and length as the reversed one (so the same cache slot), another last key: another shape.
            var lastDiffers = Value.Object(("gamma", i), ("beta", "b"), ("delta", 0.5));
            logs.Add(
            [
                new NodeSucceeded($"run/{i}", 1, At, "n", 1, value),
                new NodeSucceeded($"run/{i}", 2, At, "n", 1, reversed),
                new NodeSucceeded($"run/{i}", 3, At, "n", 1, lastDiffers),
            ]);
        }

        var bytes = logs.Select(log => encoder.Encode(log).ToArray()).ToList();

        Assert.Equal(3, pool.ShapeCount);
        for (var i = 0; i < logs.Count; i++)
        {
            ExactEventAssert.Same(logs[i], EventLogDecoder.Decode(bytes[i], logs[i][0].ExecutionId, 0, pool));
        }
    }

    [Fact]
    public void Decode_PooledShapeWithoutThePool_RefusedWithAPreciseError()
    {
        var pool = new ConstantPool();
        var encoder = new EventLogEncoder(pool);
        encoder.Encode(Child(0));
        var log = Child(1);
        var bytes = encoder.Encode(log).ToArray();
        Assert.True(pool.ShapeCount > 0);

        // A pool with the strings but not the shapes: the shape is what is missing.
        var stringsOnly = new ConstantPool();
        for (var i = 0; i < pool.StringCount; i++)
        {
            stringsOnly.TryAddString(pool.GetString(i), out _);
        }

        var error = Assert.Throws<InvalidDataException>(() => EventLogDecoder.Decode(bytes, log[0].ExecutionId, 0, stringsOnly));
        Assert.Contains("object shape", error.Message, StringComparison.Ordinal);
        Assert.Contains("which its pool does not hold", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(31, 1 << 14)]
    [InlineData(32, 3)]
    [InlineData(33, 0)]
    public void Encode_RandomLogsWithRecurringShapes_EachLogDecodesExactlyAsWithoutShapes(int seed, int shapeCapacity)
    {
        // Objects built from a small vocabulary of key instances recur across logs (the loop-child pattern), mixed
        // with the random events; a small shape capacity fills up, after which objects are written by name again.
        var random = new Random(seed);
        var events = new RandomEvents(seed);
        var pool = new ConstantPool(ConstantPool.StringCapacity, shapeCapacity);
        var encoder = new EventLogEncoder(pool);
        var namesPool = new ConstantPool();
        var namesOnly = new EventLogEncoder(new EncoderStringTable(), namesPool, shapes: false);
        var logs = new List<(List<ExecutionEvent> Log, byte[] Bytes)>();
        for (var round = 0; round < 80; round++)
        {
            var id = $"exec-{round}";
            var log = events.Log(id, 1 + (round % 7));
            for (var i = 0; i < 1 + random.Next(4); i++)
            {
                var value = Shaped(random, events, 3);
                log.Add(new NodeSucceeded(id, log.Count + 1, At.AddTicks(round), "n", 1, value));
                if (random.Next(3) == 0)
                {
                    // The same instance again: written as a reference to the shaped object.
                    log.Add(new NodeStarted(id, log.Count + 1, At.AddTicks(round), "m", 1, Value.Object(("again", value))));
                }
            }

            logs.Add((log, encoder.Encode(log).ToArray()));

            // The slow path (names only) gives back the same events as the shaped bytes.
            ExactEventAssert.Same(EventLogDecoder.Decode(namesOnly.Encode(log), id, 0, namesPool), EventLogDecoder.Decode(logs[^1].Bytes, id, 0, pool));
        }

        Assert.Equal(0, namesPool.ShapeCount);
        Assert.Equal(Math.Min(shapeCapacity, pool.ShapeCount), pool.ShapeCount);
        Assert.True(shapeCapacity == 0 || pool.ShapeCount > 0);
        foreach (var (log, bytes) in logs)
        {
            ExactEventAssert.Same(log, EventLogDecoder.Decode(bytes, log[0].ExecutionId, 0, pool));
            ExactEventAssert.Same([.. log.Skip(2)], EventLogDecoder.Decode(bytes, log[0].ExecutionId, 3, pool));
        }
    }

    [Fact]
    public void Read_CompactLogsOfLoopChildren_ShapedAndDecodeExactly()
    {
        var logs = new CompactEventLogs();
        var written = new List<ExecutionEvent[]>();
        for (var i = 0; i < 30; i++)
        {
            var log = Child(i);
            written.Add(log);
            logs.Append(log[0].ExecutionId, 0, log);
        }

        foreach (var log in written)
        {
            ExactEventAssert.Same(log, logs.Read(log[0].ExecutionId, 0).Events());
            ExactEventAssert.Same(log[2..], logs.Read(log[0].ExecutionId, 3).Events());
        }
    }

    private static readonly string[] Keys = ["type", "items", "value", "inputs", "outputs", "vars", "locals", "node", "refs", "item", "index"];

    // An object of 0 to 5 keys from a fixed set of key instances (so shapes recur), its values random.
    private static Value Shaped(Random random, RandomEvents events, int depth)
    {
        var count = random.Next(6);
        var start = random.Next(Keys.Length - count + 1);
        var entries = new KeyValuePair<string, Value>[count];
        for (var i = 0; i < count; i++)
        {
            var nested = depth > 0 && random.Next(3) == 0;
            entries[i] = new(Keys[start + i], nested ? Shaped(random, events, depth - 1) : events.Val(1));
        }

        return Value.Object(entries);
    }

    // A loop's child: the same keys in every log, the item differing.
    private static ExecutionEvent[] Child(int index)
    {
        var id = $"run/loop_0/{index}";
        var locals = Value.Object(("item", index * 3), ("index", index), ("itemsType", "integer"));
        return
        [
            new ExecutionStarted(id, 1, At, "flowgram.loop_0", 1, Value.EmptyObject, "run", "loop_0", Value.Object(("item", index * 3), ("index", index))) { InheritsParentContext = true },
            new NodeStarted(id, 2, At.AddTicks(index), "loop_0_block_start", 1, Value.Object(("node", Value.Object(("id", "loop_0_block_start"), ("type", "block-start"))), ("locals", locals))),
            new NodeSucceeded(id, 3, At.AddTicks(2 * index), "loop_0_block_start", 1, Value.Object(("inputs", Value.EmptyObject), ("outputs", Value.EmptyObject), ("vars", Value.EmptyObject), ("locals", Value.Object(("item", Value.Object(("type", "integer"), ("value", index * 3))), ("index", index))))),
            new NodeSucceeded(id, 4, At.AddTicks(4 * index), "loop_0_block_end", 1, Value.Object(("inputs", Value.EmptyObject), ("outputs", Value.EmptyObject), ("vars", Value.EmptyObject))),
            new ExecutionCompleted(id, 5, At.AddTicks(5 * index), Value.Object(("$done", true))),
        ];
    }
}
