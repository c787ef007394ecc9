using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// The string table of the log being encoded, backed by strings the encoder has met in earlier logs: each distinct
/// string is transcoded once per encoder (not once per log), and a string instance met again is found by reference,
/// without hashing its characters.
/// </summary>
/// <remarks>
/// Node ids and property names are the same few dozen string instances in every log of a workflow. What is remembered
/// is bounded (4,096 strings, 256 KB by default): past either, the next log starts from nothing, so unique user strings
/// do not pile up. With a <see cref="ConstantPool"/>, a string met again in a later log is numbered in the pool and
/// written as that number from then on (<see cref="Reference"/>), so it no longer takes room in every log's table;
/// numbers given before the encoder forgets stay valid in the pool (a string numbered twice merely costs a slot).
/// </remarks>
internal sealed class EncoderStringTable
{
    private const int CacheSize = 2048;
    private const int DefaultMaxEntries = 4096;
    private const int DefaultMaxPoolBytes = 256 * 1024;
    private const int MaxLastTableBytes = 16 * 1024;

    // By the instance's identity hash, two ways per set: a hit costs one header read and one or two comparisons.
    private readonly CacheSlot[] _cache = new CacheSlot[CacheSize];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly int _maxEntries;
    private readonly int _maxPoolBytes;
    private ConstantPool? _shared;
    private Entry[] _entries = new Entry[256];
    private int _count;

    // Each string's table form (length varint, then its bytes), back to back.
    private byte[] _pool = new byte[8192];
    private int _poolUsed;

    // The entries this log uses, in the order of their indexes.
    private int[] _used = new int[256];
    private int _usedCount;
    private int _usedBytes;
    private int _stamp;

    // The last table written, by entry ids and as bytes (-1: none).
    private int[] _lastUsed = new int[256];
    private int _lastUsedCount = -1;
    private byte[] _lastTable = new byte[4096];
    private int _lastTableLength;

    /// <param name="maxEntries">How many strings to remember before starting from nothing.</param>
    /// <param name="maxPoolBytes">How many bytes of remembered strings to keep before starting from nothing.</param>
    public EncoderStringTable(int maxEntries = DefaultMaxEntries, int maxPoolBytes = DefaultMaxPoolBytes)
    {
        _maxEntries = maxEntries;
        _maxPoolBytes = maxPoolBytes;
    }

    /// <summary>Numbers strings met in more than one log in <paramref name="pool"/> from now on.</summary>
    public void ShareThrough(ConstantPool? pool) => _shared = pool;

    /// <summary>Bytes <see cref="WriteTable"/> writes: the count varint and every used string.</summary>
    public int TableSize => EventLogFormat.VarintSize((uint)_usedCount) + _usedBytes;

    /// <summary>Starts a log's table (empty), forgetting everything first when the bounds are passed.</summary>
    public void BeginLog()
    {
        if (_count > _maxEntries || _poolUsed > _maxPoolBytes || _stamp == int.MaxValue)
        {
            Forget();
        }

        _stamp++;
        _usedCount = 0;
        _usedBytes = 0;
    }

    /// <summary>
    /// How <paramref name="value"/> is written: its number in the pool, shifted left once and odd; or its index in this
    /// log's table plus one, shifted left once (even; 0 stands for null).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Reference(string value)
    {
        var slot = AddressHash.Of(value) & (CacheSize - 1);

        // The slot is masked to the cache's fixed length: no bounds check needed. A pooled string's code is kept in its
        // slot (it never changes, and forgetting empties the cache), so a hit on one reads no entry.
        ref var first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_cache), slot);
        if (ReferenceEquals(first.String, value))
        {
            return first.Code != 0 ? first.Code : Code(ref first);
        }

        ref var second = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_cache), slot ^ 1);
        if (ReferenceEquals(second.String, value))
        {
            return second.Code != 0 ? second.Code : Code(ref second);
        }

        // Find puts the string in the first way.
        Find(value, slot);
        return Code(ref first);
    }

    /// <summary>Writes the table at <paramref name="position"/>, which has <see cref="TableSize"/> bytes of room.</summary>
    public int WriteTable(byte[] buffer, int position)
    {
        var used = _used.AsSpan(0, _usedCount);
        if (_lastUsedCount == used.Length && used.SequenceEqual(_lastUsed.AsSpan(0, used.Length)))
        {
            // The same strings in the same order as the log before (the next child of one loop): one copy.
            _lastTable.AsSpan(0, _lastTableLength).CopyTo(buffer.AsSpan(position));
            return position + _lastTableLength;
        }

        var start = position;
        position += EventLogFormat.WriteVarint(buffer.AsSpan(position), (uint)_usedCount);
        var pool = _pool;
        var entries = _entries;
        foreach (var id in used)
        {
            ref var entry = ref entries[id];
            pool.AsSpan(entry.Offset, entry.Length).CopyTo(buffer.AsSpan(position));
            position += entry.Length;
        }

        var length = position - start;
        if (length <= MaxLastTableBytes)
        {
            if (_lastUsed.Length < used.Length)
            {
                _lastUsed = new int[Math.Max(used.Length, _lastUsed.Length * 2)];
            }

            if (_lastTable.Length < length)
            {
                _lastTable = new byte[Math.Max(length, _lastTable.Length * 2)];
            }

            used.CopyTo(_lastUsed);
            _lastUsedCount = used.Length;
            buffer.AsSpan(start, length).CopyTo(_lastTable);
            _lastTableLength = length;
        }

        return position;
    }

    private void Find(string value, int slot)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, value, out var exists);
        if (!exists)
        {
            id = Add(value);
        }

        // Two ways per set: the one met before moves to the neighbour, so two strings that hash alike both stay.
        _cache[slot ^ 1] = _cache[slot];
        _cache[slot] = new CacheSlot { String = value, Id = id };
    }

    private uint Code(ref CacheSlot cached)
    {
        ref var entry = ref _entries[cached.Id];
        if (entry.Shared < 0)
        {
            if (entry.Stamp == _stamp)
            {
                return ((uint)entry.Index + 1) << 1;
            }

            if (!TryShare(ref entry))
            {
                Use(ref entry, cached.Id);
                return ((uint)entry.Index + 1) << 1;
            }
        }

        cached.Code = ((uint)entry.Shared << 1) | 1;
        return cached.Code;
    }

    // A string an earlier log used (its stamp is an older log's) goes to the pool: met in two logs, likely in many.
    private bool TryShare(ref Entry entry)
    {
        if (entry.Stamp == 0 || _shared is null || !_shared.TryAddString(entry.Value, out var number))
        {
            return false;
        }

        entry.Shared = number;
        return true;
    }

    private void Use(ref Entry entry, int id)
    {
        entry.Stamp = _stamp;
        entry.Index = _usedCount;
        if (_usedCount == _used.Length)
        {
            Array.Resize(ref _used, _usedCount * 2);
        }

        _used[_usedCount++] = id;
        _usedBytes += entry.Length;
    }

    // Length shifted left once; the low bit says UTF-16 (a string with a lone surrogate, which UTF-8 would replace).
    private int Add(string value)
    {
        var maxBytes = value.Length * 3;
        var reserved = EventLogFormat.VarintSize(((uint)maxBytes << 1) | 1);
        if (_poolUsed + reserved + maxBytes > _pool.Length)
        {
            Array.Resize(ref _pool, Math.Max(_pool.Length * 2, _poolUsed + reserved + maxBytes));
        }

        var start = _poolUsed;
        var destination = _pool.AsSpan(start + reserved, maxBytes);
        uint header;
        int written;
        if (Utf8.FromUtf16(value, destination, out _, out written, replaceInvalidSequences: false) == OperationStatus.Done)
        {
            header = (uint)written << 1;
        }
        else
        {
            var chars = MemoryMarshal.AsBytes(value.AsSpan());
            chars.CopyTo(destination);
            written = chars.Length;
            header = ((uint)written << 1) | 1;
        }

        var size = EventLogFormat.VarintSize(header);
        if (size != reserved)
        {
            _pool.AsSpan(start + reserved, written).CopyTo(_pool.AsSpan(start + size));
        }

        EventLogFormat.WriteVarint(_pool.AsSpan(start), header);
        _poolUsed = start + size + written;
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count * 2);
        }

        _entries[_count] = new Entry { Value = value, Offset = start, Length = size + written, Shared = -1 };
        return _count++;
    }

    private void Forget()
    {
        // The ids of the last table are about to mean other strings.
        _lastUsedCount = -1;
        _ids.Clear();
        Array.Clear(_cache);
        _count = 0;
        _poolUsed = 0;
        _stamp = 0;
        if (_pool.Length > _maxPoolBytes * 2)
        {
            // One huge string should not pin a huge pool for the encoder's lifetime.
            _pool = new byte[8192];
        }

        if (_entries.Length > _maxEntries * 2)
        {
            _entries = new Entry[256];
            _used = new int[256];
        }
    }

    /// <summary>
    /// A remembered string: where its table form lies in the pool, its index in the log that last used it, and its
    /// number in the shared pool once it has one (-1 before).
    /// </summary>
    [StructLayout(LayoutKind.Auto)]
    private struct Entry
    {
        public string Value;
        public int Shared;
        public int Offset;
        public int Length;
        public int Stamp;
        public int Index;
    }

    /// <summary>
    /// A string met before, its entry id and, once pooled, its code: side by side, one cache line for a hit.
    /// </summary>
    private struct CacheSlot
    {
        public string? String;
        public int Id;
        public uint Code;
    }
}
