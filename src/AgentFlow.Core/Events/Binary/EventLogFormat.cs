namespace AgentFlow.Core.Events.Binary;

/// <summary>Constants and varint primitives shared by <see cref="EventLogEncoder"/> and <see cref="EventLogDecoder"/>.</summary>
internal static class EventLogFormat
{
    /// <summary>Offset of the string table (int32), then the event count (int32).</summary>
    public const int HeaderSize = 8;

    /// <summary>Each event starts with its length after these bytes (int32).</summary>
    public const int EventLengthSize = 4;

    public const double MaxExactInteger = 9007199254740992d;

    public static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }
}
