using AgentFlow.Core.Values;

namespace AgentFlow.FlowGram.Executors;

/// <summary>
/// The stored <c>index</c> variable of <c>&lt;loopID&gt;_locals</c> (<c>{type: "number", items: null, value: i}</c>),
/// built once per index below <see cref="Capacity"/> and then shared by every iteration with that index: the object is
/// immutable and holds nothing of a run, so a shared one records exactly what a fresh one would, and as a marked constant
/// (<see cref="Value.AsConstant"/>) an encoded log refers to it instead of copying it. Owned by one executor.
/// </summary>
/// <remarks>
/// Thread-safe without a lock: entries are published whole, and a race (two threads growing the table, a write into a
/// table just replaced) only loses an entry, which the next iteration with that index builds again.
/// </remarks>
internal sealed class IndexVariables
{
    /// <summary>Indexes below this are kept; larger ones are built per iteration.</summary>
    public const int Capacity = 1024;

    private ValueObject?[] _table = new ValueObject?[16];

    /// <summary>The encoded variable of <paramref name="index"/>; any value that is not a small whole number is built fresh.</summary>
    public Value Get(Value index)
    {
        if (!TryPosition(index, out var position))
        {
            return Build(index);
        }

        var table = Volatile.Read(ref _table);
        if (position < table.Length && Volatile.Read(ref table[position]) is { } kept)
        {
            return Value.From(kept);
        }

        var built = Build(index).AsConstant();
        if (position >= table.Length)
        {
            var grown = new ValueObject?[Math.Min(Capacity, Math.Max(table.Length * 2, position + 1))];
            Array.Copy(table, grown, table.Length);
            table = grown;
        }

        Volatile.Write(ref table[position], built.AsObject());
        Volatile.Write(ref _table, table);
        return built;
    }

    /// <summary>What the table holds for <paramref name="index"/> (tests).</summary>
    internal bool IsKept(int index)
    {
        var table = Volatile.Read(ref _table);
        return index < table.Length && table[index] is not null;
    }

    private static Value Build(Value index) => Value.Object(("type", "number"), ("items", Value.Null), ("value", index));

    // Whole, non-negative and not -0 (which JSON writes as "-0"): the index a table slot stands for, value for value.
    private static bool TryPosition(Value index, out int position)
    {
        position = 0;
        if (index.Kind != ValueKind.Number)
        {
            return false;
        }

        var number = index.AsNumber();
        if (number is < 0 or >= Capacity || Math.Floor(number) != number || (number == 0 && double.IsNegative(number)))
        {
            return false;
        }

        position = (int)number;
        return true;
    }
}
