using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// The object shapes (key sequences) the encoder has met, so an object whose keys the store met before is written as
/// one pooled shape number and its values instead of name by name.
/// </summary>
/// <remarks>
/// The objects of a workflow's logs are built by the same code from the same key instances (<c>{type,items,value}</c>,
/// <c>{inputs,outputs,vars,locals}</c>...): a shape is found by its first key's address and its length, and matches
/// only when every key is the same instance, so a hit costs pointer comparisons and no hashing of characters. The rule
/// is the strings' (<see cref="EncoderStringTable"/>): a shape goes to the <see cref="ConstantPool"/> when met again in
/// a later log, so a shape of one log only (unique user keys) never takes a pool slot. A shape whose key instances
/// differ (keys decoded from JSON, or moved by the collector) finds its number again by content, so the pool does
/// not fill up with copies. What is remembered is bounded; past the bound the encoder starts from nothing, and the
/// numbers it gave stay valid in the pool.
/// </remarks>
internal sealed class EncoderShapeTable
{
    /// <summary>Objects with fewer keys gain too little from a shape; with more, the comparisons cost more than they save.</summary>
    public const int MinKeys = 2;

    /// <summary>See <see cref="MinKeys"/>.</summary>
    public const int MaxKeys = 16;

    private const int CacheSize = 256;
    private const int MaxRemembered = 4096;

    private readonly Slot[] _cache = new Slot[CacheSize];
    private readonly Dictionary<string[], int> _byContent = new(KeySequenceComparer.Instance);
    private readonly ConstantPool _pool;
    private int _stamp = 1;

    public EncoderShapeTable(ConstantPool pool) => _pool = pool;

    /// <summary>Starts a log: a shape met from now on was met "in an earlier log" if it was met before this call.</summary>
    public void BeginLog()
    {
        _stamp++;
        if (_byContent.Count > MaxRemembered || _stamp == int.MaxValue)
        {
            _byContent.Clear();
            Array.Clear(_cache);
            _stamp = 1;
        }
    }

    /// <summary>
    /// The pool number of the shape of <paramref name="entries"/> (between <see cref="MinKeys"/> and
    /// <see cref="MaxKeys"/> of them), or -1 when it has none (yet): then the object is written name by name.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Number(ReadOnlySpan<KeyValuePair<string, Value>> entries)
    {
        var slot = (AddressHash.Of(entries[0].Key) + (entries.Length * 0x3B)) & (CacheSize - 1);
        ref var first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_cache), slot);
        if (first.Number >= 0 && Matches(first.Keys, entries))
        {
            return first.Number;
        }

        return Slow(ref first, entries, slot);
    }

    private static bool Matches(string[]? keys, ReadOnlySpan<KeyValuePair<string, Value>> entries)
    {
        if (keys is null || keys.Length != entries.Length)
        {
            return false;
        }

        for (var i = 0; i < keys.Length; i++)
        {
            if (!ReferenceEquals(keys[i], entries[i].Key))
            {
                return false;
            }
        }

        return true;
    }

    private int Slow(ref Slot first, ReadOnlySpan<KeyValuePair<string, Value>> entries, int slot)
    {
        if (Matches(first.Keys, entries))
        {
            // Met before but not pooled: pooled now if that was in an earlier log.
            return first.Stamp != _stamp ? Share(ref first) : -1;
        }

        ref var second = ref _cache[slot ^ 1];
        if (Matches(second.Keys, entries))
        {
            var number = second.Number >= 0 ? second.Number : second.Stamp != _stamp ? Share(ref second) : -1;

            // The way met last moves to the front, so two shapes that hash alike both stay.
            (first, second) = (second, first);
            return number;
        }

        var keys = new string[entries.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = entries[i].Key;
        }

        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_byContent, keys, out var exists);
        var stamp = _stamp;
        if (!exists)
        {
            known = -1 - stamp;
        }
        else if (known < 0 && -1 - known != stamp)
        {
            // Same keys met in an earlier log, as other instances.
            known = _pool.TryAddShape(keys, out var pooled) ? pooled : known;
        }

        second = first;
        first = new Slot { Keys = keys, Number = known >= 0 ? known : -1, Stamp = known >= 0 ? 0 : -1 - known };
        return first.Number;
    }

    private int Share(ref Slot slot)
    {
        ref var known = ref CollectionsMarshal.GetValueRefOrNullRef(_byContent, slot.Keys!);
        if (Unsafe.IsNullRef(ref known))
        {
            return -1;
        }

        if (known < 0)
        {
            if (!_pool.TryAddShape(slot.Keys!, out var number))
            {
                // The pool is full: stop asking for this shape until the encoder forgets.
                slot.Stamp = _stamp;
                known = -1 - _stamp;
                return -1;
            }

            known = number;
        }

        slot.Number = known;
        return known;
    }

    /// <summary>A shape met before: its keys, its pool number (-1 before it has one) and the log it was first met in.</summary>
    private struct Slot
    {
        public string[]? Keys;
        public int Number;
        public int Stamp;
    }

    private sealed class KeySequenceComparer : IEqualityComparer<string[]>
    {
        public static readonly KeySequenceComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(string[] obj)
        {
            var hash = default(HashCode);
            foreach (var key in obj)
            {
                hash.Add(key, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
