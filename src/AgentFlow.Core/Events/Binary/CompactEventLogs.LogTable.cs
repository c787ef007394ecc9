using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AgentFlow.Core.Events.Binary;

/// <summary>The table of logs of <see cref="CompactEventLogs"/>: entries by execution id, kept in creation order.</summary>
public sealed partial class CompactEventLogs
{
    /// <summary>
    /// Log entries numbered in creation order, in fixed-size chunks, found by id through two levels of open-addressing
    /// tables of (hash, number) slots: the id's root (what comes before its first '/') picks a group, and the group's
    /// own small table finds the id among its logs. Entries are never removed.
    /// </summary>
    /// <remarks>
    /// A store keeps every execution, so a one-level table reaches millions of slots and every append of a new log
    /// misses the cache (and the TLB) on it: measured ~200 ns per log, 5–6% of a FlowGram <c>loop-100</c> run. Child
    /// executions are named under their parent (<c>parent/node/index</c>), so a run's hundred logs share a root: the
    /// first one pays the miss and the others find their group's slot and table still in the cache. Any id works (an id
    /// without '/' is its own root); ids that all share one root only make one big group, no worse than one level. A
    /// slot holds the hash next to the number, so an entry (or group) is read only when its hash matches; entries sit in
    /// chunks that never move, so growing copies none and a reference to an entry stays valid while others are added.
    /// Hashes are the process-randomized string hash, so ids chosen to collide cannot be made ahead of time.
    /// </remarks>
    private sealed class LogTable
    {
        private const int ChunkShift = 10;
        private const int ChunkSize = 1 << ChunkShift;
        private const int InitialRoots = 64;
        private const int InitialGroupSlots = 4;

        // Slots: hash in the high half, number + 1 in the low half; 0 is empty. At most half of any table is used.
        private ulong[] _roots = new ulong[InitialRoots];
        private Group[] _groups = new Group[16];
        private int _groupCount;
        private Entry[][] _chunks = [];
        private int _count;

        public int Count => _count;

        /// <summary>The entry of <paramref name="id"/>, or a null reference; <paramref name="probe"/> is for <see cref="Add"/>.</summary>
        public ref Entry Find(string id, out Probe probe)
        {
            var cut = id.IndexOf('/', StringComparison.Ordinal);
            var rootLength = cut < 0 ? id.Length : cut;
            var rootHash = string.GetHashCode(id.AsSpan(0, rootLength));
            var hash = string.GetHashCode(id.AsSpan(rootLength));
            var group = FindGroup(id, rootLength, rootHash);
            probe = new Probe(rootHash, hash, group);
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
                    if (string.Equals(entry.Id, id, StringComparison.Ordinal))
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

            _count++;
            ref var entry = ref At(number);
            entry.Id = id;
            entry.Number = number;
            var group = probe.Group >= 0 ? probe.Group : AddGroup(probe.RootHash, number);
            ref var g = ref _groups[group];
            if ((g.Count + 1) * 2 > g.Slots.Length)
            {
                g.Slots = Rehash(g.Slots);
            }

            Place(g.Slots, probe.Hash, number);
            g.Count++;
            return ref entry;
        }

        /// <summary>The entry numbered <paramref name="number"/> (0 to <see cref="Count"/> - 1: creation order).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ref Entry At(int number) => ref _chunks[number >> ChunkShift][number & (ChunkSize - 1)];

        private int FindGroup(string id, int rootLength, int rootHash)
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

                if ((slot & 0xFFFF_FFFF_0000_0000UL) == high)
                {
                    // The group's first id has this root when it starts with it and the root ends there.
                    var group = (int)(uint)slot - 1;
                    var first = At(_groups[group].First).Id;
                    if (first.Length >= rootLength && (first.Length == rootLength || first[rootLength] == '/') &&
                        first.AsSpan(0, rootLength).SequenceEqual(id.AsSpan(0, rootLength)))
                    {
                        return group;
                    }
                }
            }
        }

        private int AddGroup(int rootHash, int first)
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
            _groups[group] = new Group { Slots = new ulong[InitialGroupSlots], First = first };
            Place(_roots, rootHash, group);
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

        /// <summary>The logs under one root: their slots, how many, and the first one's number (it names the root).</summary>
        private struct Group
        {
            public ulong[] Slots;
            public int Count;
            public int First;
        }
    }

    /// <summary>Where <see cref="LogTable.Find(string, out Probe)"/> looked: the hashes of the id's root and rest, and the root's group (-1: none).</summary>
    private readonly record struct Probe(int RootHash, int Hash, int Group);

    /// <summary>
    /// One execution's log: live event objects, or frozen bytes in the arena (with its objects still at hand while it
    /// is the last one frozen). A queued log's list belongs to the freezer until it is swapped: never changed in place.
    /// </summary>
    [StructLayout(LayoutKind.Auto)]
    private struct Entry
    {
        public string Id;
        public List<ExecutionEvent>? Live;
        public ReadOnlyMemory<byte> Frozen;
        public long Count;
        public int Number;
        public bool Queued;
    }
}
