using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace AgentFlow.Core.Values;

/// <summary>An immutable object whose properties keep their insertion order.</summary>
public sealed class ValueObject : IReadOnlyDictionary<string, Value>
{
    private const int LinearSearchLimit = 8;
    private readonly string[] _names;
    private readonly Value[] _values;
    private readonly Dictionary<string, int>? _index;

    private ValueObject(string[] names, Value[] values)
    {
        _names = names;
        _values = values;
        if (names.Length > LinearSearchLimit)
        {
            _index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                _index[names[i]] = i;
            }
        }
    }

    public static ValueObject Empty { get; } = new([], []);

    /// <summary>Creates an object; a repeated name keeps its first position and its last value.</summary>
    public static ValueObject Create(IEnumerable<KeyValuePair<string, Value>> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var names = new List<string>();
        var values = new List<Value>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, value) in properties)
        {
            if (positions.TryGetValue(name, out var existing))
            {
                values[existing] = value;
            }
            else
            {
                positions[name] = names.Count;
                names.Add(name);
                values.Add(value);
            }
        }

        return names.Count == 0 ? Empty : new ValueObject([.. names], [.. values]);
    }

    public int Count => _names.Length;

    public Value this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => _names;

    public IEnumerable<Value> Values => _values;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Value value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = Value.Null;
            return false;
        }

        value = _values[index];
        return true;
    }

    /// <summary>A copy with one property set (replaced in place or appended).</summary>
    public ValueObject With(string name, Value value)
    {
        var index = IndexOf(name);
        if (index >= 0)
        {
            var values = (Value[])_values.Clone();
            values[index] = value;
            return new ValueObject(_names, values);
        }

        return new ValueObject([.. _names, name], [.. _values, value]);
    }

    internal bool ContentEquals(ValueObject other)
    {
        if (Count != other.Count)
        {
            return false;
        }

        for (var i = 0; i < _names.Length; i++)
        {
            if (!other.TryGetValue(_names[i], out var otherValue) || !_values[i].Equals(otherValue))
            {
                return false;
            }
        }

        return true;
    }

    private int IndexOf(string key)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(key, out var found) ? found : -1;
        }

        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public IEnumerator<KeyValuePair<string, Value>> GetEnumerator()
    {
        for (var i = 0; i < _names.Length; i++)
        {
            yield return new KeyValuePair<string, Value>(_names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
