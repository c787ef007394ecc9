using System.Reflection;
using System.Text.Json.Serialization;
using AgentFlow.Core.Events;
using AgentFlow.Core.Events.Binary;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Events.Binary;

public sealed class EventLogCodecTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Decode_RandomLogsWithAwkwardValues_ReturnsExactlyTheEncodedEvents(int seed)
    {
        var random = new RandomEvents(seed);
        var encoder = new EventLogEncoder();
        for (var round = 0; round < 60; round++)
        {
            var log = random.Log($"exec-{seed}-{round}", round % 7 == 0 ? 1 : 1 + (round * 3 % 40));

            var decoded = EventLogDecoder.Decode(encoder.Encode(log), log[0].ExecutionId, 0);

            ExactEventAssert.Same(log, decoded);
        }
    }

    [Fact]
    public void Decode_EveryEventTypeInCore_RoundTripsEveryProperty()
    {
        // A future event type (or a new field on one) that the codec does not carry fails here rather than being
        // silently lost from a frozen in-memory log.
        var types = typeof(ExecutionEvent).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ExecutionEvent)) && !t.IsAbstract)
            .ToArray();
        var declared = typeof(ExecutionEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType);
        Assert.Equal(declared.OrderBy(t => t.Name), types.OrderBy(t => t.Name));

        var encoder = new EventLogEncoder();
        foreach (var type in types)
        {
            var original = Build(type, sequence: 1);
            var other = Build(type, sequence: 2);

            var decoded = EventLogDecoder.Decode(encoder.Encode([original, other]), "exec-1", 0);

            ExactEventAssert.Same([original, other], decoded);
        }
    }

    [Fact]
    public void Decode_FromSequence_SkipsThePrefixAndKeepsSequencesAndTimes()
    {
        var log = new RandomEvents(7).Log("e", 30);
        var encoded = new EventLogEncoder().Encode(log).ToArray();

        for (var from = 0; from <= 32; from++)
        {
            var decoded = EventLogDecoder.Decode(encoded, "e", from);

            ExactEventAssert.Same([.. log.Skip(Math.Max(0, from - 1))], decoded);
        }
    }

    [Fact]
    public void Decode_NumbersAtTheEdges_KeepTheirExactBits()
    {
        double[] numbers = [-0.0, 0.0, double.NaN, BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_1234), double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, 9007199254740992d, 9007199254740993d, -9007199254740992d, 1e300, -1.5, long.MinValue];
        double[] integers = [0, 1, -1, 9007199254740992d, -9007199254740992d, 300, -64, 64];
        var output = Value.Array(numbers.Select(Value.From));
        var outputInts = Value.Array(integers.Select(Value.From));
        var single = Value.Object(numbers.Select((n, i) => new KeyValuePair<string, Value>($"n{i}", n)));
        var log = new ExecutionEvent[] { new NodeSucceeded("e", 1, At, "n", 1, Value.Array(output, outputInts, single, Value.Array(-0.0), Value.Array(-0.0, "x"))) };

        var decoded = ((NodeSucceeded)EventLogDecoder.Decode(new EventLogEncoder().Encode(log), "e", 0)[0]).Output;

        for (var i = 0; i < numbers.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(numbers[i]), BitConverter.DoubleToInt64Bits(decoded[0][i].AsNumber()));
            Assert.Equal(BitConverter.DoubleToInt64Bits(numbers[i]), BitConverter.DoubleToInt64Bits(decoded[2][$"n{i}"].AsNumber()));
        }

        ExactEventAssert.SameValue(outputInts, decoded[1], "integers");
        ExactEventAssert.SameValue(Value.Array(Value.Array(-0.0), Value.Array(-0.0, "x")), Value.Array(decoded[3], decoded[4]), "tail");
    }

    [Fact]
    public void Decode_LongStringsAndLargeEvents_RoundTrip()
    {
        // Past 64 and 8,192 bytes the length prefixes take two and three bytes, so encoded data is moved after writing.
        var big = new string('é', 100_000);
        var huge = string.Concat(Enumerable.Repeat("\uD83D\uDE00a\uD800", 40_000));
        var log = new ExecutionEvent[]
        {
            new NodeSucceeded("e", 1, At, "n", 1, Value.Object(("big", big), ("huge", huge), ("small", "s"))),
            new NodeSkipped("e", 2, At, new string('k', 63), new string('r', 64)),
            new ExecutionCompleted("e", 3, At, Value.Array(Enumerable.Range(0, 5000).Select(i => Value.From(i * 1.5)))),
        };

        var decoded = EventLogDecoder.Decode(new EventLogEncoder().Encode(log), "e", 0);

        ExactEventAssert.Same(log, decoded);
    }

    [Fact]
    public void Decode_RepeatedStrings_AreStoredOnceAndShareOneInstance()
    {
        var log = Enumerable.Range(1, 50)
            .Select(i => (ExecutionEvent)new NodeSucceeded("e", i, At, "the-node-with-a-long-name", 1, Value.Object(("the-property-with-a-long-name", "the-value-with-a-long-name"))))
            .ToList();

        var encoded = new EventLogEncoder().Encode(log);
        var decoded = EventLogDecoder.Decode(encoded, "e", 0);

        Assert.True(encoded.Length < 50 * 20, $"50 events took {encoded.Length} bytes");
        Assert.Same(((NodeSucceeded)decoded[0]).NodeId, ((NodeSucceeded)decoded[49]).NodeId);
        Assert.All(decoded, e => Assert.Same("e", e.ExecutionId));
    }

    [Fact]
    public void Decode_SameContainerInSeveralEvents_IsWrittenOnceAndReadBackShared()
    {
        var items = Value.Array(Enumerable.Range(0, 100).Select(i => Value.From(i * 3)));
        var scope = Value.Object(("items", items), ("index", 0));
        ExecutionEvent[] log =
        [
            new ExecutionStarted("e", 1, At, "wf", 1, Value.Object(("items", items)), Scope: scope),
            new NodeStarted("e", 2, At, "loop", 1, scope),
            new NodeSucceeded("e", 3, At, "loop", 1, Value.Object(("items", items), ("copy", Value.Array(items, items)))),
            new ExecutionCompleted("e", 4, At, items),
        ];
        var once = new EventLogEncoder().Encode(log[..1]).Length;

        var encoded = new EventLogEncoder().Encode(log).ToArray();
        var decoded = EventLogDecoder.Decode(encoded, "e", 0);
        var tail = EventLogDecoder.Decode(encoded, "e", 3);

        ExactEventAssert.Same(log, decoded);
        ExactEventAssert.Same(log[2..], tail);
        Assert.True(encoded.Length < once + 100, $"{encoded.Length} bytes for four events sharing what the first ({once} bytes) holds");
        Assert.Same(((ExecutionCompleted)decoded[3]).Outputs.AsArray(), ((ExecutionStarted)decoded[0]).Inputs["items"].AsArray());
        Assert.Same(((ExecutionCompleted)tail[1]).Outputs.AsArray(), ((NodeSucceeded)tail[0]).Output["copy"][1].AsArray());
    }

    [Fact]
    public void Encode_SameNumberArrayInLaterLogs_DecodesEqualInEachLog()
    {
        // One encoder writes the same number arrays into several logs; a reference to an array inside one log must
        // point into that log's own copy.
        var items = Value.Array(Enumerable.Range(0, 40).Select(i => Value.From(i * 3)));
        var doubles = Value.Array(Enumerable.Range(0, 40).Select(i => Value.From(i + 0.5)));
        var others = Enumerable.Range(0, 6).Select(k => Value.Array(Enumerable.Range(0, 20).Select(i => Value.From(i * k)))).ToArray();
        var encoder = new EventLogEncoder();
        for (var round = 0; round < 4; round++)
        {
            var id = $"child-{round}";
            ExecutionEvent[] log =
            [
                new ExecutionStarted(id, 1, At, "wf", 1, Value.Object(("items", items), ("doubles", doubles)), Scope: Value.Object(("items", items), ("i", round))),
                new NodeSucceeded(id, 2, At, "n", 1, round % 2 == 0 ? items : Value.Array(others[round], others[round + 1], doubles)),
                new ExecutionCompleted(id, 3, At, Value.Array(doubles, items, others[round])),
            ];

            var encoded = encoder.Encode(log).ToArray();

            ExactEventAssert.Same(log, EventLogDecoder.Decode(encoded, id, 0));
            ExactEventAssert.Same(log[2..], EventLogDecoder.Decode(encoded, id, 3));
        }
    }

    [Fact]
    public void Encode_ReusedEncoder_ForgetsThePreviousLog()
    {
        var encoder = new EventLogEncoder();
        var first = new ExecutionEvent[] { new NodeSkipped("a", 1, At, "x", "first") };
        var second = new ExecutionEvent[] { new NodeSkipped("b", 5, At.AddYears(-3), "y", "second"), new ExecutionCancelled("b", 6, At) };

        var firstBytes = encoder.Encode(first).ToArray();
        var secondDecoded = EventLogDecoder.Decode(encoder.Encode(second), "b", 0);

        ExactEventAssert.Same(first, EventLogDecoder.Decode(firstBytes, "a", 0));
        ExactEventAssert.Same(second, secondDecoded);
        Assert.Equal(2, EventLogDecoder.Count(encoder.Encode(second)));
    }

    [Fact]
    public void Encode_EventTypeOutsideCore_ThrowsNamingTheType()
    {
        var error = Assert.Throws<NotSupportedException>(() => new EventLogEncoder().Encode([new UnknownEvent("e", 1, At)]));

        Assert.Contains(nameof(UnknownEvent), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_BytesThatAreNotALog_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => EventLogDecoder.Decode(new byte[3], "e", 0));
        Assert.Throws<InvalidDataException>(() => EventLogDecoder.Decode(new byte[] { 200, 0, 0, 0, 1, 0, 0, 0 }, "e", 0));
        Assert.Throws<InvalidDataException>(() => EventLogDecoder.Decode(new byte[] { 16, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 99, 0, 0, 0 }, "e", 0));
    }

    private static ExecutionEvent Build(Type type, long sequence)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters()
            .Select(p => p.Name switch
            {
                "ExecutionId" => "exec-1",
                "Sequence" => sequence,
                _ => Sample(p.ParameterType, p.Name!),
            })
            .ToArray();
        var instance = constructor.Invoke(arguments);
        foreach (var property in type.GetProperties().Where(p => p.SetMethod is { IsPublic: true } && p.DeclaringType == type && constructor.GetParameters().All(c => c.Name != p.Name)))
        {
            // Init-only properties (SchemaVersion, SecretInputs): set to something other than their default.
            property.SetValue(instance, Sample(property.PropertyType, property.Name));
        }

        return (ExecutionEvent)instance;
    }

    private static object Sample(Type type, string name)
    {
        if (type == typeof(string))
        {
            return $"{name}-ünï-😀";
        }

        if (type == typeof(int))
        {
            return -name.Length * 1000;
        }

        if (type == typeof(long))
        {
            return long.MinValue + name.Length;
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2031, 3, 4, 5, 6, 7, TimeSpan.FromMinutes(-330)).AddTicks(name.Length);
        }

        if (type == typeof(Value))
        {
            return Value.Object((name, Value.Array(-0.0, 1.5e-300, "x", Value.Null, true)), ("nested", Value.Object(("z", 1), ("a", 2))));
        }

        if (type == typeof(ErrorInfo))
        {
            return new ErrorInfo("code." + name, "message", Value.Object(("status", 503)), Retryable: true);
        }

        if (type == typeof(IReadOnlyList<string>))
        {
            return new[] { name, "", "second" };
        }

        throw new InvalidOperationException($"The reflection round-trip test cannot build a '{type}' for '{name}': add a sample for it here.");
    }

    private sealed record UnknownEvent(string ExecutionId, long Sequence, DateTimeOffset Timestamp) : ExecutionEvent(ExecutionId, Sequence, Timestamp);
}
