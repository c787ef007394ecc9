using System.Collections;
using AgentFlow.Core.Values;

namespace AgentFlow.FlowGram.Values;

/// <summary>
/// Collects the properties of <see cref="Value"/> objects built one after another (a node's output and its parts) and
/// builds each with a single exact-size array: <see cref="ValueObject.Create"/> copies an array or list it is given,
/// while a collection of known count it enumerates straight into its own array. Reused for every object of one node
/// run, so the run pays one buffer instead of one scratch array per object.
/// </summary>
/// <remarks>Not thread-safe, and it is its own enumerator: one build at a time, by the run that owns it.</remarks>
internal sealed class PairBuffer(int capacity) : ICollection<KeyValuePair<string, Value>>, IEnumerator<KeyValuePair<string, Value>>
{
    private KeyValuePair<string, Value>[] _pairs = new KeyValuePair<string, Value>[Math.Max(capacity, 1)];
    private int _count;
    private int _position = -1;

    public int Count => _count;

    public bool IsReadOnly => false;

    public KeyValuePair<string, Value> Current => _pairs[_position];

    object IEnumerator.Current => Current;

    public void Add(string key, Value value) => Add(new KeyValuePair<string, Value>(key, value));

    public void Add(KeyValuePair<string, Value> item)
    {
        if (_count == _pairs.Length)
        {
            Array.Resize(ref _pairs, _count * 2);
        }

        _pairs[_count++] = item;
    }

    /// <summary>The object of the properties added since the last build (the empty object when none); empties the buffer.</summary>
    public Value Build()
    {
        if (_count == 0)
        {
            return Value.EmptyObject;
        }

        var value = Value.Object(this);
        Clear();
        return value;
    }

    public void Clear()
    {
        Array.Clear(_pairs, 0, _count);
        _count = 0;
        _position = -1;
    }

    public bool Contains(KeyValuePair<string, Value> item) => Array.IndexOf(_pairs, item, 0, _count) >= 0;

    public void CopyTo(KeyValuePair<string, Value>[] array, int arrayIndex) => Array.Copy(_pairs, 0, array, arrayIndex, _count);

    public bool Remove(KeyValuePair<string, Value> item) => throw new NotSupportedException();

    public IEnumerator<KeyValuePair<string, Value>> GetEnumerator()
    {
        _position = -1;
        return this;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool MoveNext() => ++_position < _count;

    public void Reset() => _position = -1;

    public void Dispose()
    {
    }
}
