
namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// Where in the log being encoded each array or object instance was first written: an open-addressed table by reference,
/// hashed by address (<see cref="AddressHash"/>: no identity hash installed in every fresh container),
/// whose used slots are emptied at the end of each log, so a small log pays for the slots it used and not for the
/// largest log the encoder has seen, and no finished log's values stay reachable from the encoder.
/// </summary>
internal sealed class ContainerOffsets
{
    private const int InitialCapacity = 64;
    private const int RetainedCapacity = 1 << 14;

    private object?[] _keys = new object?[InitialCapacity];
    private int[] _offsets = new int[InitialCapacity];
    private int[] _usedSlots = new int[InitialCapacity / 2];
    private int _count;

    /// <summary>
    /// The offset <paramref name="container"/> was first written at, or -1 after noting <paramref name="offset"/> as
    /// where it is written now.
    /// </summary>
    public int GetOrAdd(object container, int offset)
    {
        var mask = _keys.Length - 1;
        var slot = AddressHash.Of(container) & mask;
        while (true)
        {
            var key = _keys[slot];
            if (key is null)
            {
                break;
            }

            if (ReferenceEquals(key, container))
            {
                return _offsets[slot];
            }

            slot = (slot + 1) & mask;
        }

        _keys[slot] = container;
        _offsets[slot] = offset;
        _usedSlots[_count++] = slot;
        if (_count * 2 >= _keys.Length)
        {
            Grow();
        }

        return -1;
    }

    /// <summary>Empties the slots this log used.</summary>
    public void Clear()
    {
        var keys = _keys;
        foreach (var slot in _usedSlots.AsSpan(0, _count))
        {
            keys[slot] = null;
        }

        _count = 0;
        if (keys.Length > RetainedCapacity)
        {
            // One log with a great many containers should not leave a great table behind.
            _keys = new object?[InitialCapacity];
            _offsets = new int[InitialCapacity];
            _usedSlots = new int[InitialCapacity / 2];
        }
    }

    private void Grow()
    {
        var oldKeys = _keys;
        var oldOffsets = _offsets;
        var oldUsed = _usedSlots;
        var count = _count;
        _keys = new object?[oldKeys.Length * 2];
        _offsets = new int[oldKeys.Length * 2];
        _usedSlots = new int[oldKeys.Length];
        _count = 0;
        var mask = _keys.Length - 1;
        foreach (var old in oldUsed.AsSpan(0, count))
        {
            var key = oldKeys[old]!;
            var slot = AddressHash.Of(key) & mask;
            while (_keys[slot] is not null)
            {
                slot = (slot + 1) & mask;
            }

            _keys[slot] = key;
            _offsets[slot] = oldOffsets[old];
            _usedSlots[_count++] = slot;
        }
    }
}
