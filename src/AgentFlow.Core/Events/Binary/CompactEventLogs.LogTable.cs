using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AgentFlow.Core.Events.Binary;

/// <summary>The table of logs of <see cref="CompactEventLogs"/>: entries by execution id, kept in creation order.</summary>
public sealed partial class CompactEventLogs
{
    /// <summary>
    /// Log entries numbered in creation order, in fixed-size chunks, found by id through two levels of open-addressing
    /// tables of (hash, number) slots: the id's root (what comes before its first '/') picks a group, and the group's
    /// own small table finds the id among its logs. Entries are never removed. An id is kept as its group's root (one
    /// string per group) and the characters after it, in shared chunks: a log costs no object of its own.
    /// </summary>
    /// <remarks>
    /// A store keeps every execution, so a one-level table reaches millions of slots and every append of a new log
    /// misses the cache (and the TLB) on it: measured ~200 ns per log, 5–6% of a FlowGram <c>loop-100</c> run. Child
    /// executions are named under their parent (<c>parent/node/index</c>), so a run's hundred logs share a root: the
    /// first one pays the miss and the others find their group's slot and table still in the cache. Any id works (an id
    /// without '/' is its own root); ids that all share one root only make one big group, no worse than one level. A
    /// slot holds the hash next to the number, so an entry (or group) is read only when its hash matches; entries sit in
    /// chunks that never move, so growing copies none and a reference to an entry stays valid while others are added.
    /// Hashes are the process-randomized string hash, so ids chosen to collide cannot be made ahead of time. A child's
    /// id kept as its characters after the root (<c>/loop_0/1/98</c>: 24 bytes) rather than as its string (~120 bytes,
    /// and an object the collector copies on its way to the oldest generation) takes a fifth of the room.
    /// </remarks>
    private sealed class LogTable
    {
        private const int ChunkShift = 10;
        private const int ChunkSize = 1 << ChunkShift;
        private const int InitialRoots = 64;
        private const int InitialGroupSlots = 4;
        private const int NameChunkSize = 1 << 16;

        // Slots: hash in the high half, number + 1 in the low half; 0 is empty. At most half of any table is used.
        private ulong[] _roots = new ulong[InitialRoots];
        private Group[] _groups = new Group[16];
        private int _groupCount;
        private Entry[][] _chunks = [];
        private int _count;

        // The characters of ids after their root, back to back; one longer than a quarter chunk gets a chunk of its own.
        private char[][] _names = new char[4][];
        private int _nameChunks;
        private int _currentNames = -1;
        private int _namesUsed;

        public int Count => _count;

        /// <summary>The entry of <paramref name="id"/>, or a null reference; <paramref name="probe"/> is for <see cref="Add"/>.</summary>
        public ref Entry Find(string id, out Probe probe)
        {
            var cut = id.IndexOf('/', StringComparison.Ordinal);
            var rootLength = cut < 0 ? id.Length : cut;
            var rest = id.AsSpan(rootLength);
            var rootHash = string.GetHashCode(id.AsSpan(0, rootLength));
            var hash = string.GetHashCode(rest);
            var group = FindGroup(id.AsSpan(0, rootLength), rootHash);
            probe = new Probe(rootHash, hash, group, rootLength);
            if (group < 0)
            {
                return ref Unsafe.NullRef<Entry>();
            }

            var slots = _groups[group].Slots;
            var mask = slots.Length - 1;
            var high = (ulong)(uint)hash << 32;
            for (var i = hash & mask; ; i = (i + 1) & mask)
            {
                var slot = slots[i];
                if (slot == 0)
                {
                    return ref Unsafe.NullRef<Entry>();
                }

                if ((slot & 0xFFFF_FFFF_0000_0000UL) == high)
                {
                    ref var entry = ref At((int)(uint)slot - 1);
                    if (NameOf(entry).SequenceEqual(rest))
                    {
                        return ref entry;
                    }
                }
            }
        }

        /// <summary>The entry of <paramref name="id"/>, or a null reference.</summary>
        public ref Entry Find(string id) => ref Find(id, out _);

        /// <summary>Adds an empty entry for <paramref name="id"/>, which <see cref="Find(string, out Probe)"/> just did not find.</summary>
        public ref Entry Add(string id, in Probe probe)
        {
            var number = _count;
            if ((number & (ChunkSize - 1)) == 0)
            {
                AddChunk(number >> ChunkShift);
            }

            var group = probe.Group >= 0 ? probe.Group : AddGroup(id, probe);
            ref var g = ref _groups[group];
            if ((g.Count + 1) * 2 > g.Slots.Length)
            {
                g.Slots = Rehash(g.Slots);
            }

            Place(g.Slots, probe.Hash, number);
            g.Count++;
            _count++;
            ref var entry = ref At(number);
            entry.Number = number;
            entry.Group = group;
            StoreName(ref entry, id.AsSpan(probe.RootLength));
            return ref entry;
        }

        /// <summary>The entry numbered <paramref name="number"/> (0 to <see cref="Count"/> - 1: creation order).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ref Entry At(int number) => ref _chunks[number >> ChunkShift][number & (ChunkSize - 1)];

        /// <summary>The execution id of <paramref name="entry"/>, as a new string.</summary>
        public string IdOf(in Entry entry) => string.Concat(_groups[entry.Group].Root, NameOf(entry));

        private ReadOnlySpan<char> NameOf(in Entry entry) => _names[entry.NameChunk].AsSpan(entry.NameStart, entry.NameLength);

        private void StoreName(ref Entry entry, ReadOnlySpan<char> name)
        {
            if (name.Length > NameChunkSize / 4)
            {
                entry.NameChunk = AddNameChunk(name.ToArray());
                entry.NameStart = 0;
            }
            else
            {
                if (_currentNames < 0 || name.Length > NameChunkSize - _namesUsed)
                {
                    _currentNames = AddNameChunk(new char[NameChunkSize]);
                    _namesUsed = 0;
                }

                name.CopyTo(_names[_currentNames].AsSpan(_namesUsed));
                entry.NameChunk = _currentNames;
                entry.NameStart = _namesUsed;
                _namesUsed += name.Length;
            }

            entry.NameLength = name.Length;
        }

        private int AddNameChunk(char[] chunk)
        {
            if (_nameChunks == _names.Length)
            {
                Array.Resize(ref _names, _names.Length * 2);
            }

            _names[_nameChunks] = chunk;
            return _nameChunks++;
        }

        private int FindGroup(ReadOnlySpan<char> root, int rootHash)
        {
            var roots = _roots;
            var mask = roots.Length - 1;
            var high = (ulong)(uint)rootHash << 32;
            for (var i = rootHash & mask; ; i = (i + 1) & mask)
            {
                var slot = roots[i];
                if (slot == 0)
                {
                    return -1;
                }

                var group = (int)(uint)slot - 1;
                if ((slot & 0xFFFF_FFFF_0000_0000UL) == high && root.SequenceEqual(_groups[group].Root))
                {
                    return group;
                }
            }
        }

        private int AddGroup(string id, in Probe probe)
        {
            if ((_groupCount + 1) * 2 > _roots.Length)
            {
                _roots = Rehash(_roots);
            }

            if (_groupCount == _groups.Length)
            {
                Array.Resize(ref _groups, _groups.Length * 2);
            }

            var group = _groupCount++;
            var root = probe.RootLength == id.Length ? id : id[..probe.RootLength];
            _groups[group] = new Group { Root = root, Slots = new ulong[InitialGroupSlots] };
            Place(_roots, probe.RootHash, group);
            return group;
        }

        private static void Place(ulong[] slots, int hash, int number)
        {
            var mask = slots.Length - 1;
            var i = hash & mask;
            while (slots[i] != 0)
            {
                i = (i + 1) & mask;
            }

            slots[i] = ((ulong)(uint)hash << 32) | (uint)(number + 1);
        }

        private static ulong[] Rehash(ulong[] old)
        {
            var slots = new ulong[old.Length * 2];
            foreach (var slot in old)
            {
                if (slot != 0)
                {
                    Place(slots, (int)(slot >> 32), (int)(uint)slot - 1);
                }
            }

            return slots;
        }

        private void AddChunk(int chunk)
        {
            if (chunk == _chunks.Length)
            {
                Array.Resize(ref _chunks, Math.Max(4, chunk * 2));
            }

            _chunks[chunk] = new Entry[ChunkSize];
        }

        /// <summary>The logs under one root: the root, their slots and how many they are.</summary>
        private struct Group
        {
            public string Root;
            public ulong[] Slots;
            public int Count;
        }
    }

    /// <summary>
    /// Where <see cref="LogTable.Find(string, out Probe)"/> looked: the hashes of the id's root and rest, the root's
    /// group (-1: none) and the root's length.
    /// </summary>
    private readonly record struct Probe(int RootHash, int Hash, int Group, int RootLength);

    /// <summary>
    /// One execution's log: live event objects, or frozen bytes in the arena (with its objects still at hand while it
    /// is the last one frozen). A queued log's list belongs to the freezer until it is swapped: never changed in place.
    /// </summary>
    [StructLayout(LayoutKind.Auto)]
    private struct Entry
    {
        public List<ExecutionEvent>? Live;
        public ReadOnlyMemory<byte> Frozen;
        public long Count;
        public int Number;
        public int Group;
        public int NameChunk;
        public int NameStart;
        public int NameLength;
        public bool Queued;
    }
}
