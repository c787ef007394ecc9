namespace AgentFlow.Core.Events.Binary;

/// <summary>Constants and varint primitives shared by <see cref="EventLogEncoder"/> and <see cref="EventLogDecoder"/>.</summary>
internal static class EventLogFormat
{
    /// <summary>Offset of the string table (int32), then the event count (int32).</summary>
    public const int HeaderSize = 8;

    /// <summary>Each event starts with its length after these bytes (int32).</summary>
    public const int EventLengthSize = 4;

    public const double MaxExactInteger = 9007199254740992d;

    /// <summary>A value reference's offset is a varint padded to this many bytes, so a copy of it can be patched in place.</summary>
    public const int OffsetSize = 5;

    /// <summary>Writes <paramref name="value"/> as a varint of exactly <see cref="OffsetSize"/> bytes (any reader reads it).</summary>
    public static void WritePaddedVarint(Span<byte> destination, uint value)
    {
        destination[0] = (byte)(value | 0x80);
        destination[1] = (byte)((value >> 7) | 0x80);
        destination[2] = (byte)((value >> 14) | 0x80);
        destination[3] = (byte)((value >> 21) | 0x80);
        destination[4] = (byte)(value >> 28);
    }

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
