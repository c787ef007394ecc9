using System.Collections;

namespace AgentFlow.Core.Values;

/// <summary>An immutable list of values.</summary>
public sealed class ValueArray : IReadOnlyList<Value>
{
    private readonly Value[] _items;

    /// <summary>Wraps an array the caller hands over and never mutates again.</summary>
    public ValueArray(Value[] items) => _items = items ?? throw new ArgumentNullException(nameof(items));

    public static ValueArray Empty { get; } = new([]);

    /// <summary>Set once, before the array is shared, when it is the value of a constant template (see <see cref="ValueObject"/>).</summary>
    internal bool IsConstant { get; private set; }

    internal void MarkConstant() => IsConstant = true;

    public int Count => _items.Length;

    public Value this[int index] => _items[index];

    public ReadOnlySpan<Value> AsSpan() => _items;

    public IEnumerator<Value> GetEnumerator() => ((IEnumerable<Value>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
