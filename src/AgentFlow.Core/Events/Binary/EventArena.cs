namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// Append-only byte storage in large chunks for frozen event logs: a finished execution costs its bytes and no objects.
/// Single-writer: <see cref="CompactEventLogs"/> appends from one thread at a time. What <see cref="Append"/> returns
/// points into a chunk directly, so readers never look at the arena itself, and bytes once written never change: a
/// reader may decode a slice on any thread once it was handed over under the owner's lock.
/// </summary>
internal sealed class EventArena
{
    internal const int ChunkSize = 1 << 20;

    private byte[] _current = [];
    private int _used;

    // Less room than this left in the chunk: a log is not started there, a new chunk is (at most this much is left unused).
    private const int MinimumRoom = 4096;

    /// <summary>The current chunk, and in <paramref name="start"/> where its free part begins, to write a log into.</summary>
    public byte[] Reserve(out int start)
    {
        if (_current.Length - _used < MinimumRoom)
        {
            _current = GC.AllocateUninitializedArray<byte>(ChunkSize);
            _used = 0;
        }

        start = _used;
        return _current;
    }

    /// <summary>Hands out the <paramref name="length"/> bytes written at the start <see cref="Reserve"/> gave.</summary>
    public ReadOnlyMemory<byte> Commit(int length)
    {
        var slice = new ReadOnlyMemory<byte>(_current, _used, length);
        _used += length;
        return slice;
    }

    public ReadOnlyMemory<byte> Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _current.Length - _used)
        {
            // A log larger than a quarter chunk gets an array of its own; the current chunk stays the one to fill next.
            if (bytes.Length > ChunkSize / 4)
            {
                return bytes.ToArray();
            }

            // Uninitialized: every byte handed out is written first, so zeroing a megabyte would be wasted work.
            _current = GC.AllocateUninitializedArray<byte>(ChunkSize);
            _used = 0;
        }

        bytes.CopyTo(_current.AsSpan(_used));
        var slice = new ReadOnlyMemory<byte>(_current, _used, bytes.Length);
        _used += bytes.Length;
        return slice;
    }
}
