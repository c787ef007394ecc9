using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Events.Binary;

/// <summary>Seeded random logs with awkward values, for the codec's property-style tests.</summary>
internal sealed class RandomEvents(int seed)
{
    private static readonly double[] Awkward =
    [
        0.0, -0.0, 1, -1, 0.1, 1e308, -1e308, 1e-308, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue,
        9007199254740992d, 9007199254740994d, -9007199254740992d, 9.2233720368547758E+18, -9.2233720368547758E+18,
        long.MaxValue, 4.9e-324, 123456789.125, double.PositiveInfinity, double.NegativeInfinity,
    ];

    private static readonly string[] AwkwardStrings =
    [
        "", " ", "a", "node-1", "héllo wörld", "日本語のテキスト", "emoji 😀 and 𝄞", "\0nul", "\uD800 lone high", "lone low \uDC00",
        "tab\tnew\nline", "\"quoted\"", new string('x', 200), "ünïcödé", "\u0080\u07FF\u0800\uFFFF",
    ];

    private readonly Random _random = new(seed);

    // Arrays and objects already handed out: reused now and then, as node outputs are, so logs hold shared instances.
    private readonly List<Value> _containers = [];

    public List<ExecutionEvent> Log(string executionId, int count)
    {
        var events = new List<ExecutionEvent>(count);
        var at = new DateTimeOffset(_random.NextInt64(DateTimeOffset.MinValue.Ticks + (365 * TimeSpan.TicksPerDay), DateTimeOffset.MaxValue.Ticks - (365 * TimeSpan.TicksPerDay)), Offset());
        for (var i = 0; i < count; i++)
        {
            // Clocks may step back, and offsets change (a host moved between zones): deltas must be signed.
            at = at.AddTicks(_random.Next(-1000, 5_000_000)).ToOffset(_random.Next(10) == 0 ? Offset() : at.Offset);
            events.Add(Event(executionId, i + 1, at));
        }

        return events;
    }

    public ExecutionEvent Event(string id, long sequence, DateTimeOffset at) => _random.Next(18) switch
    {
        0 => new ExecutionStarted(id, sequence, at, String(), _random.Next(), Val(3), NullableString(), NullableString(), Val(3))
        {
            SchemaVersion = _random.Next(-5, 5),
            SecretInputs = _random.Next(3) == 0 ? null : [.. Enumerable.Range(0, _random.Next(4)).Select(_ => String())],
            InheritsParentContext = _random.Next(2) == 0,
        },
        1 => new NodeStarted(id, sequence, at, String(), _random.Next(int.MinValue, int.MaxValue), Val(4)),
        2 => new NodeSucceeded(id, sequence, at, String(), _random.Next(), Val(4), NullableString()),
        3 => new NodeFailed(id, sequence, at, String(), _random.Next(), Error(), _random.Next(2) == 0, Val(3)),
        4 => new NodeRetryScheduled(id, sequence, at, String(), _random.Next(), new DateTimeOffset(at.Ticks + _random.NextInt64(-TimeSpan.TicksPerDay, TimeSpan.TicksPerDay), Offset())),
        5 => new NodeSkipped(id, sequence, at, String(), String()),
        6 => new NodeCancelled(id, sequence, at, String(), _random.Next()),
        7 => new TimerScheduled(id, sequence, at, String(), at.AddDays(_random.Next(-30, 30)).ToOffset(Offset())),
        8 => new TimerFired(id, sequence, at, String()),
        9 => new VariablesAssigned(id, sequence, at, String(), Val(3)),
        10 => new SignalReceived(id, sequence, at, String(), String(), Val(3), _random.NextInt64(long.MinValue, long.MaxValue)),
        11 => new ExecutionCancelRequested(id, sequence, at, NullableString()),
        12 => new ExecutionCompleted(id, sequence, at, Val(4)),
        13 => new ExecutionFailed(id, sequence, at, Error(), NullableString()),
        14 => new ExecutionCancelled(id, sequence, at),
        15 => new ExecutionPaused(id, sequence, at, NullableString()),
        16 => new ExecutionResumed(id, sequence, at),
        _ => new ExecutionRetried(id, sequence, at, [.. Enumerable.Range(0, _random.Next(5)).Select(_ => String())]),
    };

    public Value Val(int depth)
    {
        var kind = _random.Next(depth <= 0 ? 4 : 7);
        if (kind == 6 && _containers.Count > 0)
        {
            return _containers[_random.Next(_containers.Count)];
        }

        switch (kind)
        {
            case 0:
                return Value.Null;
            case 1:
                return _random.Next(2) == 0;
            case 2:
                return Number();
            case 3:
                return String();
            case 4 when _random.Next(3) == 0:
                // Numbers only, integers only or not: the codec packs these.
                var integers = _random.Next(2) == 0;
                return Keep(Value.Array(Enumerable.Range(0, _random.Next(40)).Select(_ => Value.From(integers ? _random.NextInt64(-1L << 53, 1L << 53) : Number()))));
            case 4:
                return Keep(Value.Array(Enumerable.Range(0, _random.Next(6)).Select(_ => Val(depth - 1))));
            default:
                {
                    // Up to 12 properties, so objects past the linear-search limit (8) get their index rebuilt.
                    var count = _random.Next(13);
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    while (names.Count < count)
                    {
                        names.Add(_random.Next(3) == 0 ? String() : $"p{_random.Next(100)}");
                    }

                    return Keep(Value.Object(names.Select(n => new KeyValuePair<string, Value>(n, Val(depth - 1)))));
                }
        }
    }

    private Value Keep(Value container)
    {
        _containers.Add(container);
        return container;
    }

    private double Number() => _random.Next(4) switch
    {
        0 => Awkward[_random.Next(Awkward.Length)],
        1 => _random.NextInt64(-1_000_000, 1_000_000),
        2 => (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-300, 300)),
        _ => FiniteBits(),
    };

    private double FiniteBits()
    {
        while (true)
        {
            var value = BitConverter.Int64BitsToDouble(_random.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsFinite(value))
            {
                return value;
            }
        }
    }

    private string String() => _random.Next(5) switch
    {
        0 => AwkwardStrings[_random.Next(AwkwardStrings.Length)],
        1 => new string((char)_random.Next(0x20, 0xD7FF), _random.Next(0, 40)),
        2 => $"node-{_random.Next(20)}",
        3 => string.Concat(Enumerable.Range(0, _random.Next(1, 30)).Select(_ => (char)_random.Next(0, 0x10000))),
        _ => $"v{_random.Next(1000)}",
    };

    private string? NullableString() => _random.Next(3) == 0 ? null : String();

    private ErrorInfo Error() => new(String(), String(), _random.Next(2) == 0 ? default : Val(2), _random.Next(2) == 0);

    private TimeSpan Offset() => TimeSpan.FromMinutes(_random.Next(-14 * 60, 14 * 60 + 1));
}
