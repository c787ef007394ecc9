using AgentFlow.Core.Values;

namespace AgentFlow.FlowGram.Values;

/// <summary>
/// Collects the properties of <see cref="Value"/> objects built one after another (a node's output and its parts) and
/// builds each with a single exact-size array (<see cref="ValueObject.Create(ReadOnlySpan{KeyValuePair{string, Value}})"/>).
/// Reused for every object of one node run, so the run pays one buffer instead of one scratch array per object.
/// </summary>
/// <remarks>Not thread-safe: one build at a time, by the run that owns it.</remarks>
internal sealed class PairBuffer(int capacity)
{
    private KeyValuePair<string, Value>[] _pairs = new KeyValuePair<string, Value>[Math.Max(capacity, 1)];
    private int _count;

    /// <summary>Properties added since the last build.</summary>
    public int Count => _count;

    public void Add(string key, Value value)
    {
        if (_count == _pairs.Length)
        {
            Array.Resize(ref _pairs, _count * 2);
        }

        _pairs[_count++] = new(key, value);
    }

    /// <summary>The object of the properties added since the last build (the empty object when none); empties the buffer.</summary>
    public Value Build()
    {
        var value = Value.From(ValueObject.Create(_pairs.AsSpan(0, _count)));
        Clear();
        return value;
    }

    public void Clear()
    {
        Array.Clear(_pairs, 0, _count);
        _count = 0;
    }
}
