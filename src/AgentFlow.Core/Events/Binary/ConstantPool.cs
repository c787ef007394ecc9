using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// The constant containers of definitions (<see cref="ValueObject.IsConstant"/>, <see cref="ValueArray.IsConstant"/>)
/// that encoded logs refer to by number instead of copying: a node's schema in its parameters, say, is the same
/// instance in every execution of the definition, and written out it was a third of what a FlowGram log encoded.
/// </summary>
/// <remarks>
/// Numbers are given by <see cref="TryGetNumber"/> from one writer at a time (the store's lock); <see cref="Get"/> may
/// run on any thread at once, for a number given before the log that holds it was published. The pool keeps the
/// instances it numbers alive for its own lifetime, so it stops numbering at <see cref="Capacity"/> (later
/// constants are copied into the logs like any value).
/// <para>
/// The pool numbers strings too: a string the encoder meets again in a later log (node ids, property names, the
/// parent's execution id in each of its children) is numbered here once and written as that number, instead of into
/// the string table of every log. Up to <see cref="StringCapacity"/> strings; later ones stay in their logs' tables.
/// </para>
/// <para>
/// It numbers object shapes too, by the same rule: an object whose key sequence the encoder met in an earlier log is
/// written as the shape's number and its values, without its keys. Up to <see cref="ShapeCapacity"/> shapes; later
/// objects are written key by key.
/// </para>
/// </remarks>
public sealed class ConstantPool
{
    /// <summary>How many constants a pool numbers at most.</summary>
    public const int Capacity = 1 << 16;

    /// <summary>How many strings a pool numbers at most.</summary>
    public const int StringCapacity = 1 << 20;

    /// <summary>How many object shapes (key sequences) a pool numbers at most.</summary>
    public const int ShapeCapacity = 1 << 14;

    private const int RecentSize = 256;

    private readonly Dictionary<object, int> _numbers = new(ReferenceEqualityComparer.Instance);

    // The constants numbered lately, by address: a log asks for the same few constants (one per node), and a hit here
    // skips the dictionary's hashing.
    private readonly object?[] _recent = new object?[RecentSize];
    private readonly int[] _recentNumbers = new int[RecentSize];
    private readonly int _stringCapacity;
    private readonly int _shapeCapacity;
    private Value[] _values = new Value[64];
    private string[] _strings = new string[64];
    private int _stringCount;
    private string[][] _shapes = new string[16][];
    private int _shapeCount;

    /// <summary>An empty pool.</summary>
    public ConstantPool()
        : this(StringCapacity)
    {
    }

    // Tests pass a small string capacity, to cross it.
    internal ConstantPool(int stringCapacity, int shapeCapacity = ShapeCapacity)
    {
        _stringCapacity = stringCapacity;
        _shapeCapacity = shapeCapacity;
    }

    /// <summary>How many constants the pool numbers.</summary>
    public int Count => _numbers.Count;

    /// <summary>How many strings the pool numbers.</summary>
    public int StringCount => _stringCount;

    /// <summary>How many object shapes the pool numbers.</summary>
    public int ShapeCount => _shapeCount;

    /// <summary>
    /// Numbers the key sequence <paramref name="keys"/> (an object shape the encoder met in an earlier log), which the
    /// caller must not change afterwards; false when the pool is full. Like strings, the encoder knows its shapes: the
    /// pool does not look for an equal one.
    /// </summary>
    internal bool TryAddShape(string[] keys, out int number) => TryAdd(ref _shapes, ref _shapeCount, _shapeCapacity, keys, out number);

    /// <summary>The keys, in order, of the shape numbered <paramref name="number"/>.</summary>
    /// <exception cref="InvalidDataException">The pool gave no such number.</exception>
    internal string[] GetShape(int number)
    {
        var shapes = Volatile.Read(ref _shapes);
        return (uint)number < (uint)shapes.Length && shapes[number] is { } keys
            ? keys
            : throw new InvalidDataException($"An encoded event log refers to object shape {number}, which its pool does not hold.");
    }

    /// <summary>
    /// Numbers <paramref name="value"/>, which the caller (an encoder) has not numbered before; false when the pool is
    /// full. The pool does not look for an equal string numbered earlier: the encoder knows its strings.
    /// </summary>
    internal bool TryAddString(string value, out int number) => TryAdd(ref _strings, ref _stringCount, _stringCapacity, value, out number);

    /// <summary>The string numbered <paramref name="number"/>.</summary>
    /// <exception cref="InvalidDataException">The pool gave no such number.</exception>
    internal string GetString(int number)
    {
        var strings = Volatile.Read(ref _strings);
        return (uint)number < (uint)strings.Length && strings[number] is { } value
            ? value
            : throw new InvalidDataException($"An encoded event log refers to pooled string {number}, which its pool does not hold.");
    }

    /// <summary>The number of a constant array or object, numbering it when new; false when the pool is full.</summary>
    internal bool TryGetNumber(Value constant, out int number)
    {
        object container = constant.Kind == ValueKind.Object ? constant.AsObject() : constant.AsArray();
        var slot = AddressHash.Of(container) & (RecentSize - 1);
        if (ReferenceEquals(_recent[slot], container))
        {
            number = _recentNumbers[slot];
            return true;
        }

        if (_numbers.TryGetValue(container, out number))
        {
            _recent[slot] = container;
            _recentNumbers[slot] = number;
            return true;
        }

        number = _numbers.Count;
        if (number >= Capacity)
        {
            return false;
        }

        Room(ref _values, number)[number] = constant;
        _numbers.Add(container, number);
        return true;
    }

    /// <summary>The constant numbered <paramref name="number"/>.</summary>
    /// <exception cref="InvalidDataException">The pool gave no such number.</exception>
    internal Value Get(int number)
    {
        var values = Volatile.Read(ref _values);
        return (uint)number < (uint)values.Length && values[number].Kind is ValueKind.Object or ValueKind.Array
            ? values[number]
            : throw new InvalidDataException($"An encoded event log refers to constant {number}, which its pool does not hold.");
    }

    // Numbers value as the next of items, unless count has reached capacity.
    private static bool TryAdd<T>(ref T[] items, ref int count, int capacity, T value, out int number)
    {
        number = count;
        if (number >= capacity)
        {
            return false;
        }

        Room(ref items, number)[number] = value;
        count = number + 1;
        return true;
    }

    // The array to write the next item (numbered number) into, grown when full.
    private static T[] Room<T>(ref T[] items, int number)
    {
        var current = items;
        if (number < current.Length)
        {
            return current;
        }

        var grown = new T[current.Length * 2];
        current.CopyTo(grown, 0);

        // Published after the copy, so a reader sees either array with every number given so far.
        Volatile.Write(ref items, grown);
        return grown;
    }
}
