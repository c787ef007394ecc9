namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// Append-only byte storage in large chunks for frozen event logs: a finished execution costs its bytes and no objects.
/// Not thread-safe: <see cref="CompactEventLogs"/> is used under its owner's lock. Bytes once written never change, so a
/// reader may decode a slice outside the lock.
/// </summary>
internal sealed class EventArena
{
    internal const int ChunkSize = 1 << 20;

    private readonly List<byte[]> _chunks = [];
    private int _current = -1;
    private int _used = ChunkSize;

    /// <summary>Bytes written for logs since thawed (retried): left in place, never reused.</summary>
    public long DeadBytes { get; private set; }

    public ArenaSlice Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ChunkSize - _used)
        {
            // A log larger than a chunk gets a chunk of its own; the current chunk stays the one to fill next.
            if (bytes.Length > ChunkSize / 4)
            {
                var own = bytes.ToArray();
                _chunks.Add(own);
                return new ArenaSlice(_chunks.Count - 1, 0, own.Length);
            }

            _chunks.Add(GC.AllocateUninitializedArray<byte>(ChunkSize));
            _current = _chunks.Count - 1;
            _used = 0;
        }

        bytes.CopyTo(_chunks[_current].AsSpan(_used));
        var slice = new ArenaSlice(_current, _used, bytes.Length);
        _used += bytes.Length;
        return slice;
    }

    public ReadOnlyMemory<byte> Get(ArenaSlice slice) => new(_chunks[slice.Chunk], slice.Offset, slice.Length);

    public void Release(ArenaSlice slice) => DeadBytes += slice.Length;
}
