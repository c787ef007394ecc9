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

    private ValueObject(string[] names, Value[] values, Dictionary<string, int>? index = null)
    {
        _names = names;
        _values = values;
        _index = index;
        if (index is null && names.Length > LinearSearchLimit)
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

        // Objects are built on every node run: size the arrays up front and look small ones up linearly, so a
        // three-property object costs two arrays rather than two lists, a dictionary and two copies.
        var names = new string[properties.TryGetNonEnumeratedCount(out var known) ? known : 4];
        var values = new Value[names.Length];
        Dictionary<string, int>? positions = null;
        var count = 0;
        foreach (var (name, value) in properties)
        {
            var existing = positions is not null ? (positions.TryGetValue(name, out var found) ? found : -1) : Array.IndexOf(names, name, 0, count);
            if (existing >= 0)
            {
                values[existing] = value;
                continue;
            }

            if (count == names.Length)
            {
                Array.Resize(ref names, Math.Max(4, count * 2));
                Array.Resize(ref values, names.Length);
            }

            names[count] = name;
            values[count] = value;
            count++;
            if (count > LinearSearchLimit)
            {
                if (positions is null)
                {
                    positions = new Dictionary<string, int>(count * 2, StringComparer.Ordinal);
                    for (var i = 0; i < count; i++)
                    {
                        positions[names[i]] = i;
                    }
                }
                else
                {
                    positions[name] = count - 1;
                }
            }
        }

        if (count == 0)
        {
            return Empty;
        }

        if (count != names.Length)
        {
            Array.Resize(ref names, count);
            Array.Resize(ref values, count);
        }

        return new ValueObject(names, values, positions);
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
