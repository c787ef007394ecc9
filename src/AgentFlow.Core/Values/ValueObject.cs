using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace AgentFlow.Core.Values;

/// <summary>An immutable object whose properties keep their insertion order.</summary>
/// <remarks>
/// Properties live in one array of pairs: event logs keep many small objects, and one array per object rather than a
/// names array and a values array is a third fewer objects for the garbage collector to trace and copy.
/// </remarks>
public sealed class ValueObject : IReadOnlyDictionary<string, Value>
{
    private const int LinearSearchLimit = 8;
    private readonly KeyValuePair<string, Value>[] _entries;
    private readonly Dictionary<string, int>? _index;

    private ValueObject(KeyValuePair<string, Value>[] entries, Dictionary<string, int>? index = null)
    {
        _entries = entries;
        _index = index;
        if (index is null && entries.Length > LinearSearchLimit)
        {
            _index = new Dictionary<string, int>(entries.Length, StringComparer.Ordinal);
            for (var i = 0; i < entries.Length; i++)
            {
                _index[entries[i].Key] = i;
            }
        }
    }

    public static ValueObject Empty { get; } = new([]);

    /// <summary>
    /// Set once, before the object is shared, when it is the value of a constant template: part of a definition, the
    /// same instance in every execution, so an event log may refer to it instead of copying it.
    /// </summary>
    internal bool IsConstant { get; private set; }

    internal void MarkConstant() => IsConstant = true;

    /// <summary>
    /// Creates an object from properties in a caller's buffer, copied into one exact-size array; a repeated name keeps
    /// its first position and its last value.
    /// </summary>
    public static ValueObject Create(ReadOnlySpan<KeyValuePair<string, Value>> properties) =>
        properties.IsEmpty ? Empty : FromEntries(properties.ToArray(), properties.Length);

    /// <summary>Creates an object; a repeated name keeps its first position and its last value.</summary>
    public static ValueObject Create(IEnumerable<KeyValuePair<string, Value>> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);

        // Objects are built on every node run: size the array up front, copy arrays and lists without a boxed
        // enumerator, and look small ones up linearly (see FromEntries).
        switch (properties)
        {
            case KeyValuePair<string, Value>[] array:
                return FromEntries([.. array], array.Length);
            case List<KeyValuePair<string, Value>> list:
                return FromEntries([.. CollectionsMarshal.AsSpan(list)], list.Count);
            default:
                {
                    var entries = new KeyValuePair<string, Value>[properties.TryGetNonEnumeratedCount(out var known) ? known : 4];
                    var count = 0;
                    foreach (var entry in properties)
                    {
                        if (count == entries.Length)
                        {
                            Array.Resize(ref entries, Math.Max(4, count * 2));
                        }

                        entries[count++] = entry;
                    }

                    return FromEntries(entries, count);
                }
        }
    }

    // For entries known to have distinct names (read back from an encoded log): no duplicate checks, the array is kept.
    internal static ValueObject FromDistinctEntries(KeyValuePair<string, Value>[] entries) =>
        entries.Length == 0 ? Empty : new ValueObject(entries);

    /// <summary>
    /// An object of the first <paramref name="count"/> entries, taking the array over (no copy when there are no
    /// duplicates and no spare room): a repeated name keeps its first position and its last value.
    /// </summary>
    internal static ValueObject FromEntries(KeyValuePair<string, Value>[] entries, int count)
    {
        if (count == 0)
        {
            return Empty;
        }

        Dictionary<string, int>? positions = null;
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            var entry = entries[i];
            var existing = positions is not null ? (positions.TryGetValue(entry.Key, out var found) ? found : -1) : IndexOf(entries, kept, entry.Key);
            if (existing >= 0)
            {
                entries[existing] = new(entries[existing].Key, entry.Value);
                continue;
            }

            entries[kept++] = entry;
            if (kept > LinearSearchLimit)
            {
                if (positions is null)
                {
                    positions = new Dictionary<string, int>(count * 2, StringComparer.Ordinal);
                    for (var k = 0; k < kept; k++)
                    {
                        positions[entries[k].Key] = k;
                    }
                }
                else
                {
                    positions[entry.Key] = kept - 1;
                }
            }
        }

        if (kept != entries.Length)
        {
            Array.Resize(ref entries, kept);
        }

        return new ValueObject(entries, positions);
    }

    public int Count => _entries.Length;

    // For the binary log encoder: the properties in order, walked without an enumerator.
    internal ReadOnlySpan<KeyValuePair<string, Value>> Entries => _entries;

    public Value this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public IEnumerable<Value> Values => _entries.Select(e => e.Value);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Value value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = Value.Null;
            return false;
        }

        value = _entries[index].Value;
        return true;
    }

    /// <summary>A copy with one property set (replaced in place or appended).</summary>
    public ValueObject With(string name, Value value)
    {
        var index = IndexOf(name);
        if (index >= 0)
        {
            var entries = (KeyValuePair<string, Value>[])_entries.Clone();
            entries[index] = new(name, value);
            return new ValueObject(entries);
        }

        return new ValueObject([.. _entries, new(name, value)]);
    }

    internal bool ContentEquals(ValueObject other)
    {
        if (Count != other.Count)
        {
            return false;
        }

        foreach (var (name, value) in _entries)
        {
            if (!other.TryGetValue(name, out var otherValue) || !value.Equals(otherValue))
            {
                return false;
            }
        }

        return true;
    }

    private int IndexOf(string key) =>
        _index is not null ? (_index.TryGetValue(key, out var found) ? found : -1) : IndexOf(_entries, _entries.Length, key);

    private static int IndexOf(KeyValuePair<string, Value>[] entries, int count, string key)
    {
        // Names are mostly a definition's own strings, so a lookup usually hits by reference; a miss (the duplicate
        // check of every object built) mostly fails on the length. Both without a string comparison call per name,
        // which was measurable on every node run.
        for (var i = 0; i < count; i++)
        {
            if (ReferenceEquals(entries[i].Key, key))
            {
                return i;
            }
        }

        if (key is null)
        {
            return -1;
        }

        var length = key.Length;
        for (var i = 0; i < count; i++)
        {
            var name = entries[i].Key;
            if (name.Length == length && name.AsSpan().SequenceEqual(key))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Enumerates the properties in order without allocating (foreach over a <see cref="ValueObject"/>).</summary>
    public Enumerator GetEnumerator() => new(_entries);

    IEnumerator<KeyValuePair<string, Value>> IEnumerable<KeyValuePair<string, Value>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The properties in order.</summary>
    [StructLayout(LayoutKind.Auto)]
    public struct Enumerator : IEnumerator<KeyValuePair<string, Value>>
    {
        private readonly KeyValuePair<string, Value>[] _entries;
        private int _index;

        internal Enumerator(KeyValuePair<string, Value>[] entries)
        {
            _entries = entries;
            _index = -1;
        }

        /// <inheritdoc />
        public readonly KeyValuePair<string, Value> Current => _entries[_index];

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc />
        public bool MoveNext() => ++_index < _entries.Length;

        /// <inheritdoc />
        public void Reset() => _index = -1;

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }
    }
}
