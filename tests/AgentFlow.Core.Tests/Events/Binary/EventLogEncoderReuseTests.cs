using AgentFlow.Core.Events;
using AgentFlow.Core.Events.Binary;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Events.Binary;

/// <summary>
/// What one encoder carries from log to log (remembered strings, the last string table, the container table) must
/// never leak into another log's bytes: every log decodes on its own, after the encoder has moved on.
/// </summary>
public sealed class EventLogEncoderReuseTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(-3));

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Encode_RandomLogsWithSmallStringBounds_EachLogDecodesExactlyAfterTheOthers(int seed)
    {
        // Bounds this small are crossed every few logs, so remembered strings are forgotten over and over.
        var random = new RandomEvents(seed);
        var encoder = new EventLogEncoder(new EncoderStringTable(maxEntries: 16, maxPoolBytes: 512));
        var logs = new List<(List<ExecutionEvent> Log, byte[] Bytes)>();
        for (var round = 0; round < 40; round++)
        {
            var log = random.Log($"exec-{round}", 1 + (round * 7 % 25));
            logs.Add((log, encoder.Encode(log).ToArray()));
        }

        foreach (var (log, bytes) in logs)
        {
            ExactEventAssert.Same(log, EventLogDecoder.Decode(bytes, log[0].ExecutionId, 0));
        }
    }

    [Fact]
    public void Encode_ChildLogsOfOneLoop_EachDecodesExactly()
    {
        // Like a loop's children: the same node ids, keys and definition object in every log, the item differing.
        var definition = Value.Object(("id", "body"), ("type", "code"), ("data", Value.Object(("title", "Body"), ("script", "x => x"))));
        var items = Value.Array(Enumerable.Range(0, 30).Select(i => Value.From(i * 7)));
        var encoder = new EventLogEncoder();
        var logs = new List<(ExecutionEvent[] Log, byte[] Bytes)>();
        for (var i = 0; i < 50; i++)
        {
            var id = $"parent/loop/{i}";
            var item = i % 5 == 0 ? Value.From($"item-{i}") : Value.From(i);
            ExecutionEvent[] log =
            [
                new ExecutionStarted(id, 1, At, "wf.loop", 1, Value.Object(("items", items)), "parent", "loop", Value.Object(("item", item), ("index", i), ("items", items))),
                new NodeStarted(id, 2, At.AddTicks(i), "body", 1, Value.Object(("node", definition), ("locals", Value.Object(("item", item), ("index", i), ("kind", "integer"))))),
                new NodeSucceeded(id, 3, At.AddTicks(2 * i), "body", 1, Value.Object(("outputs", Value.Object(("result", item), ("lone", "\uD800 surrogate"), ("text", "ünï 😀"))), ("definition", definition))),
                new ExecutionCompleted(id, 4, At.AddTicks(3 * i), Value.Object(("$done", true))),
            ];
            logs.Add((log, encoder.Encode(log).ToArray()));
        }

        foreach (var (log, bytes) in logs)
        {
            ExactEventAssert.Same(log, EventLogDecoder.Decode(bytes, log[0].ExecutionId, 0));
            ExactEventAssert.Same(log[2..], EventLogDecoder.Decode(bytes, log[0].ExecutionId, 3));
        }
    }

    [Fact]
    public void Encode_SameStringCountAfterTheBoundIsCrossed_WritesTheNewStrings()
    {
        // Two logs whose tables list strings by the same ids in the same order, with other strings: the second comes
        // right after the bound is crossed, when those ids are handed out again and the previous table must not be
        // copied.
        var encoder = new EventLogEncoder(new EncoderStringTable(maxEntries: 8, maxPoolBytes: 4096));
        var first = Log("a", Enumerable.Range(0, 10).Select(i => $"first-{i}"));
        var second = Log("b", Enumerable.Range(0, 10).Select(i => $"other-{i}"));

        var firstBytes = encoder.Encode(first).ToArray();
        var secondBytes = encoder.Encode(second).ToArray();

        ExactEventAssert.Same(first, EventLogDecoder.Decode(firstBytes, "a", 0));
        ExactEventAssert.Same(second, EventLogDecoder.Decode(secondBytes, "b", 0));
    }

    [Fact]
    public void Encode_EqualStringsThatAreDifferentInstances_AreStoredOnce()
    {
        var names = Enumerable.Range(0, 40).Select(i => new string('n', 30) + (i % 2)).ToArray();
        var log = Log("e", names);
        var same = Log("e", names.Select(n => n[..1] + n[1..]));

        var encoded = new EventLogEncoder().Encode(log).ToArray();
        var decoded = EventLogDecoder.Decode(encoded, "e", 0);

        Assert.False(ReferenceEquals(names[0], names[2]));
        Assert.True(encoded.Length < 1000, $"40 events naming two distinct 31-character strings took {encoded.Length} bytes");
        Assert.Same(((NodeSkipped)decoded[0]).NodeId, ((NodeSkipped)decoded[2]).NodeId);
        Assert.Equal(encoded, new EventLogEncoder().Encode(same).ToArray());
    }

    [Fact]
    public void Encode_AfterALogThatFailed_DoesNotReferenceItsContainers()
    {
        // The failed log got as far as writing `shared`; the next log meets the same instance and must write it again.
        var shared = Value.Array(Value.From("a"), Value.From("b"), Value.From("c"), Value.From("d"));
        var encoder = new EventLogEncoder();
        ExecutionEvent[] failing = [new ExecutionCompleted("x", 1, At, Value.Object(("list", shared))), new UnknownEvent("x", 2, At)];
        ExecutionEvent[] next = [new NodeSkipped("y", 1, At, "pad", "pad"), new ExecutionCompleted("y", 2, At, Value.Array(shared, shared))];

        Assert.Throws<NotSupportedException>(() => encoder.Encode(failing));
        var decoded = EventLogDecoder.Decode(encoder.Encode(next), "y", 0);

        ExactEventAssert.Same(next, decoded);
        var outputs = ((ExecutionCompleted)decoded[1]).Outputs;
        Assert.Same(outputs[0].AsArray(), outputs[1].AsArray());
    }

    [Fact]
    public void Encode_ManySharedContainers_AreWrittenOnceEachAndReadBackShared()
    {
        // Past the container table's first sizes (it grows, and after a log this large starts small again).
        var containers = Enumerable.Range(0, 20_000)
            .Select(i => i % 2 == 0 ? Value.Array(i, i + 1, i + 2) : Value.Object(("k", i), ("l", "v"), ("m", true)))
            .ToArray();
        var encoder = new EventLogEncoder();
        ExecutionEvent[] large =
        [
            new NodeSucceeded("e", 1, At, "n", 1, Value.Array(containers)),
            new ExecutionCompleted("e", 2, At, Value.Array(Enumerable.Reverse(containers))),
        ];
        ExecutionEvent[] small = [new ExecutionCompleted("f", 1, At, Value.Array(containers[0], containers[1], containers[0]))];

        var collections = GC.CollectionCount(0);
        var firstOnly = encoder.Encode(large[..1]).Length;
        var largeBytes = encoder.Encode(large).ToArray();
        var moved = GC.CollectionCount(0) != collections;
        var smallDecoded = EventLogDecoder.Decode(encoder.Encode(small), "f", 0);
        var largeDecoded = EventLogDecoder.Decode(largeBytes, "e", 0);

        ExactEventAssert.Same(large, largeDecoded);
        ExactEventAssert.Same(small, smallDecoded);
        if (moved)
        {
            // A collection while encoding may have moved containers, which are then written again (found by address,
            // as designed): the log still decodes exactly, but not every container is shared. Seen with the whole
            // test project running in parallel.
            return;
        }

        var first = ((NodeSucceeded)largeDecoded[0]).Output.AsArray();
        var second = ((ExecutionCompleted)largeDecoded[1]).Outputs.AsArray();
        Assert.Same(first[0].AsArray(), second[^1].AsArray());
        Assert.Same(first[^1].AsObject(), second[0].AsObject());
        Assert.True(largeBytes.Length - firstOnly < 20_000 * 5, $"{largeBytes.Length - firstOnly} bytes for an event of 20,000 references");
    }

    [Fact]
    public void EncodeInto_LogsAcrossChunksAndPastTheRoomLeft_WriteWhatEncodeWrites()
    {
        // Written straight into the arena: logs that fill chunk after chunk, and now and then one that outgrows the
        // room left in the chunk (finished in the encoder's buffer) or a quarter chunk (an array of its own).
        var random = new RandomEvents(21);
        var direct = new EventLogEncoder();
        var copied = new EventLogEncoder();
        var arena = new EventArena();
        var written = new List<(List<ExecutionEvent> Log, ReadOnlyMemory<byte> Bytes)>();
        var total = 0L;
        var rounds = 0;
        var comparedBytes = 0;
        for (var round = 0; total < 3L * EventArena.ChunkSize; round++)
        {
            var log = random.Log($"exec-{round}", 1 + (round % 40));
            if (round % 50 == 7)
            {
                var size = round % 100 == 7 ? 20_000 : EventArena.ChunkSize / 3;
                log.Add(new NodeSucceeded(log[0].ExecutionId, log.Count + 1, At, "big", 1, Value.From(new string('x', size))));
            }

            var collections = GC.CollectionCount(0);
            var bytes = direct.EncodeInto(log, arena);
            var expected = copied.Encode(log).ToArray();
            if (GC.CollectionCount(0) == collections)
            {
                // Both encoders found the same containers again by address: the very same bytes.
                Assert.Equal(expected, bytes.ToArray());
                comparedBytes++;
            }

            // A collection in between may move a container so that one encoder writes it again instead of referring
            // to it (see AddressHash): the bytes may then differ, but both must still decode to the log.
            ExactEventAssert.Same(log, EventLogDecoder.Decode(expected, log[0].ExecutionId, 0));
            written.Add((log, bytes));
            total += bytes.Length;
            rounds++;
        }

        Assert.True(comparedBytes > rounds / 2, $"Only {comparedBytes} of {rounds} rounds ran without a collection.");
        foreach (var (log, bytes) in written)
        {
            ExactEventAssert.Same(log, EventLogDecoder.Decode(bytes.Span, log[0].ExecutionId, 0));
        }
    }

    [Fact]
    public void Encode_SameLogAfterACompactingCollection_WritesTheSameBytes()
    {
        // The encoder finds strings and containers again by their address: after the collector moves them, every
        // lookup misses and falls back (by content for a string, writing again for a container), never matching wrong.
        var encoder = new EventLogEncoder();
        var log = FreshLog("moved");

        // Once first, so the encodings compared allocate nothing (a collection in the middle of one could move a
        // container between two lookups of it).
        _ = encoder.Encode(FreshLog("warm-up"));
        var before = encoder.Encode(log).ToArray();

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var after = encoder.Encode(log).ToArray();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var other = FreshLog("other");
        var otherBytes = encoder.Encode(other).ToArray();

        Assert.Equal(before, after);
        ExactEventAssert.Same(log, EventLogDecoder.Decode(after, "moved", 0));
        ExactEventAssert.Same(other, EventLogDecoder.Decode(otherBytes, "other", 0));
        var outputs = ((ExecutionCompleted)EventLogDecoder.Decode(after, "moved", 0)[^1]).Outputs;
        Assert.Same(outputs[0].AsArray(), outputs[1].AsArray());
    }

    // Strings and containers made now, in the youngest generation, which a compacting collection moves.
    private static List<ExecutionEvent> FreshLog(string executionId)
    {
        var key = string.Concat("fresh-", executionId);
        var items = Value.Array(Enumerable.Range(0, 10).Select(i => Value.From(string.Concat("item-", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        return
        [
            new NodeSucceeded(executionId, 1, At, key, 1, Value.Object((key, items), ("n", 1))),
            new ExecutionCompleted(executionId, 2, At, Value.Array(items, items, Value.From(key))),
        ];
    }

    private static List<ExecutionEvent> Log(string executionId, IEnumerable<string> nodeIds) =>
        [.. nodeIds.Select((node, i) => (ExecutionEvent)new NodeSkipped(executionId, i + 1, At, node, "skipped"))];

    private sealed record UnknownEvent(string ExecutionId, long Sequence, DateTimeOffset Timestamp) : ExecutionEvent(ExecutionId, Sequence, Timestamp);
}
