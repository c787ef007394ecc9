using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events.Binary;

/// <summary>Reads logs written by <see cref="EventLogEncoder"/> back into events.</summary>
public static class EventLogDecoder
{
    /// <summary>How many events an encoded log holds, without decoding them.</summary>
    public static int Count(ReadOnlySpan<byte> log) => BinaryPrimitives.ReadInt32LittleEndian(log[4..]);

    /// <summary>
    /// Decodes the events of <paramref name="log"/> whose sequence is at least <paramref name="fromSequence"/>; the
    /// events before are stepped over without being built.
    /// </summary>
    /// <param name="log">Bytes returned by <see cref="EventLogEncoder.Encode"/>.</param>
    /// <param name="executionId">The execution id every event carries (the encoder leaves it out).</param>
    /// <param name="fromSequence">The first sequence wanted; 0 or 1 for the whole log.</param>
    /// <exception cref="InvalidDataException">The bytes are not an encoded log.</exception>
    public static ExecutionEvent[] Decode(ReadOnlySpan<byte> log, string executionId, long fromSequence) => Decode(log, executionId, fromSequence, null);

    /// <summary>Decodes a log written by an encoder with <paramref name="constants"/>; see <see cref="Decode(ReadOnlySpan{byte}, string, long)"/>.</summary>
    /// <param name="log">Bytes returned by <see cref="EventLogEncoder.Encode"/>.</param>
    /// <param name="executionId">The execution id every event carries (the encoder leaves it out).</param>
    /// <param name="fromSequence">The first sequence wanted; 0 or 1 for the whole log.</param>
    /// <param name="constants">The pool the encoder numbered constants in, or null when it had none.</param>
    /// <exception cref="InvalidDataException">The bytes are not an encoded log, or refer to a constant the pool lacks.</exception>
    public static ExecutionEvent[] Decode(ReadOnlySpan<byte> log, string executionId, long fromSequence, ConstantPool? constants)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        if (log.Length < EventLogFormat.HeaderSize)
        {
            throw new InvalidDataException($"An encoded event log has at least {EventLogFormat.HeaderSize} bytes; got {log.Length}.");
        }

        var tableOffset = BinaryPrimitives.ReadInt32LittleEndian(log);
        var count = BinaryPrimitives.ReadInt32LittleEndian(log[4..]);
        if ((uint)tableOffset > (uint)log.Length || count < 0)
        {
            throw new InvalidDataException($"The encoded event log's header (string table at {tableOffset}, {count} events) does not fit its {log.Length} bytes.");
        }

        var reader = new EventLogReader(log, tableOffset, executionId, constants);
        try
        {
            var skipped = reader.SkipBefore(fromSequence, count);
            if (skipped == count)
            {
                return [];
            }

            var events = new ExecutionEvent[count - skipped];
            for (var i = 0; i < events.Length; i++)
            {
                events[i] = reader.ReadEvent();
            }

            return events;
        }
        catch (IndexOutOfRangeException e)
        {
            throw new InvalidDataException($"The encoded event log ({log.Length} bytes) ends inside an event.", e);
        }
        finally
        {
            reader.Dispose();
        }
    }

    [StructLayout(LayoutKind.Auto)]
    private ref struct EventLogReader
    {
        private readonly ReadOnlySpan<byte> _data;
        private readonly string _executionId;
        private readonly int _tableOffset;
        private int[]? _stringOffsets;
        private string?[]? _strings;
        private readonly ConstantPool? _constants;
        private Dictionary<int, Value>? _shared;
        private int _position;
        private long _lastSequence;
        private long _lastTicks;

        public EventLogReader(ReadOnlySpan<byte> data, int tableOffset, string executionId, ConstantPool? constants)
        {
            _constants = constants;
            _data = data;
            _tableOffset = tableOffset;
            _executionId = executionId;
            _position = EventLogFormat.HeaderSize;
        }

        public int SkipBefore(long fromSequence, int count)
        {
            var skipped = 0;
            while (skipped < count)
            {
                var start = _position;
                var next = start + EventLogFormat.EventLengthSize + BinaryPrimitives.ReadInt32LittleEndian(_data[start..]);
                _position = start + EventLogFormat.EventLengthSize + 1;
                var sequence = _lastSequence + ReadSigned();
                if (sequence >= fromSequence)
                {
                    _position = start;
                    break;
                }

                _lastSequence = sequence;
                _lastTicks += ReadSigned();
                _position = next;
                skipped++;
            }

            return skipped;
        }

        public ExecutionEvent ReadEvent()
        {
            _position += EventLogFormat.EventLengthSize;
            var at = _position;
            var tag = (EventTag)_data[_position++];
            if (tag is < EventTag.ExecutionStarted or > EventTag.ExecutionRetried)
            {
                throw new InvalidDataException($"Unknown event tag {(byte)tag} at byte {at} of an encoded event log.");
            }

            var sequence = _lastSequence += ReadSigned();
            var timestamp = ReadMoment(_lastTicks);
            _lastTicks = timestamp.UtcTicks;
            var id = _executionId;
            return tag switch
            {
                EventTag.NodeStarted => new NodeStarted(id, sequence, timestamp, ReadString()!, ReadInt(), ReadValue()),
                EventTag.NodeSucceeded => new NodeSucceeded(id, sequence, timestamp, ReadString()!, ReadInt(), ReadValue(), ReadString()),
                EventTag.ExecutionStarted => new ExecutionStarted(id, sequence, timestamp, ReadString()!, ReadInt(), ReadValue(), ReadString(), ReadString(), ReadValue())
                {
                    SchemaVersion = ReadInt(),
                    SecretInputs = ReadStrings(),
                    InheritsParentContext = _data[_position++] != 0,
                },
                EventTag.ExecutionCompleted => new ExecutionCompleted(id, sequence, timestamp, ReadValue()),
                EventTag.VariablesAssigned => new VariablesAssigned(id, sequence, timestamp, ReadString()!, ReadValue()),
                EventTag.NodeFailed => new NodeFailed(id, sequence, timestamp, ReadString()!, ReadInt(), ReadError()!, _data[_position++] != 0, ReadValue()),
                EventTag.NodeSkipped => new NodeSkipped(id, sequence, timestamp, ReadString()!, ReadString()!),
                EventTag.ExecutionFailed => new ExecutionFailed(id, sequence, timestamp, ReadError()!, ReadString()),
                EventTag.NodeRetryScheduled => new NodeRetryScheduled(id, sequence, timestamp, ReadString()!, ReadInt(), ReadMoment(timestamp.UtcTicks)),
                EventTag.NodeCancelled => new NodeCancelled(id, sequence, timestamp, ReadString()!, ReadInt()),
                EventTag.TimerScheduled => new TimerScheduled(id, sequence, timestamp, ReadString()!, ReadMoment(timestamp.UtcTicks)),
                EventTag.TimerFired => new TimerFired(id, sequence, timestamp, ReadString()!),
                EventTag.SignalReceived => new SignalReceived(id, sequence, timestamp, ReadString()!, ReadString()!, ReadValue(), ReadSigned()),
                EventTag.ExecutionCancelRequested => new ExecutionCancelRequested(id, sequence, timestamp, ReadString()),
                EventTag.ExecutionCancelled => new ExecutionCancelled(id, sequence, timestamp),
                EventTag.ExecutionPaused => new ExecutionPaused(id, sequence, timestamp, ReadString()),
                EventTag.ExecutionResumed => new ExecutionResumed(id, sequence, timestamp),
                EventTag.ExecutionRetried => new ExecutionRetried(id, sequence, timestamp, ReadStrings()!),
                _ => throw new UnreachableException($"Event tag {tag} was checked above but has no case."),
            };
        }

        public void Dispose()
        {
            if (_strings is not null)
            {
                ArrayPool<string?>.Shared.Return(_strings, clearArray: true);
                ArrayPool<int>.Shared.Return(_stringOffsets!);
                _strings = null;
                _stringOffsets = null;
            }
        }

        private DateTimeOffset ReadMoment(long baseUtcTicks)
        {
            var utcTicks = baseUtcTicks + ReadSigned();
            var offset = ReadSigned() * TimeSpan.TicksPerMinute;
            return new DateTimeOffset(utcTicks + offset, new TimeSpan(offset));
        }

        private ErrorInfo? ReadError()
        {
            var flag = _data[_position++];
            return flag == 0 ? null : new ErrorInfo(ReadString()!, ReadString()!, ReadValue(), flag == 2);
        }

        private Value ReadValue()
        {
            var at = _position;
            var tag = (ValueTag)_data[_position++];
            if ((tag & ValueTag.SharedFlag) != 0)
            {
                var value = ReadValue(tag & ~ValueTag.SharedFlag, at);
                (_shared ??= []).TryAdd(at, value);
                return value;
            }

            return ReadValue(tag, at);
        }

        private Value ReadValue(ValueTag tag, int at)
        {
            switch (tag)
            {
                case ValueTag.Null:
                    return Value.Null;
                case ValueTag.False:
                    return Value.False;
                case ValueTag.True:
                    return Value.True;
                case ValueTag.Integer:
                    return Value.From((double)ReadSigned());
                case ValueTag.Double:
                    {
                        var bits = BinaryPrimitives.ReadInt64LittleEndian(_data[_position..]);
                        _position += 8;
                        return Value.From(BitConverter.Int64BitsToDouble(bits));
                    }

                case ValueTag.String:
                    return Value.From(ReadString()!);
                case ValueTag.Array:
                    {
                        var length = (int)ReadVarint();
                        if (length == 0)
                        {
                            return Value.EmptyArray;
                        }

                        var items = new Value[length];
                        for (var i = 0; i < items.Length; i++)
                        {
                            items[i] = ReadValue();
                        }

                        return Value.From(new ValueArray(items));
                    }

                case ValueTag.IntegerArray:
                    {
                        var items = new Value[(int)ReadVarint()];
                        for (var i = 0; i < items.Length; i++)
                        {
                            items[i] = Value.From((double)ReadSigned());
                        }

                        return Value.From(new ValueArray(items));
                    }

                case ValueTag.NumberArray:
                    {
                        var items = new Value[(int)ReadVarint()];
                        for (var i = 0; i < items.Length; i++)
                        {
                            items[i] = Value.From(BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(_data[_position..])));
                            _position += 8;
                        }

                        return Value.From(new ValueArray(items));
                    }

                case ValueTag.Object:
                    {
                        var length = (int)ReadVarint();
                        if (length == 0)
                        {
                            return Value.EmptyObject;
                        }

                        var entries = new KeyValuePair<string, Value>[length];
                        for (var i = 0; i < entries.Length; i++)
                        {
                            var name = ReadString()!;
                            entries[i] = new(name, ReadValue());
                        }

                        return Value.From(ValueObject.FromDistinctEntries(entries));
                    }

                case ValueTag.Shaped:
                    {
                        var number = (int)ReadVarint();
                        var keys = _constants?.GetShape(number)
                            ?? throw new InvalidDataException($"The object at byte {at} of an encoded event log has pooled shape {number}, but no constant pool was given to decode it.");
                        var entries = new KeyValuePair<string, Value>[keys.Length];
                        for (var i = 0; i < entries.Length; i++)
                        {
                            entries[i] = new(keys[i], ReadValue());
                        }

                        return Value.From(ValueObject.FromDistinctEntries(entries));
                    }

                case ValueTag.Constant:
                    {
                        var number = (int)ReadVarint();
                        return _constants?.Get(number)
                            ?? throw new InvalidDataException($"The value at byte {at} of an encoded event log refers to constant {number}, but no constant pool was given to decode it.");
                    }

                case ValueTag.Reference:
                    {
                        var offset = (int)ReadVarint();
                        if (_shared is not null && _shared.TryGetValue(offset, out var seen))
                        {
                            return seen;
                        }

                        if (offset >= at || offset < EventLogFormat.HeaderSize || (_data[offset] & (byte)ValueTag.SharedFlag) == 0)
                        {
                            throw new InvalidDataException($"The value reference at byte {at} of an encoded event log points at {offset}, which holds no shared value.");
                        }

                        // The first copy lies in a prefix the read skipped: build it now (and keep it for later references).
                        var saved = _position;
                        _position = offset;
                        var value = ReadValue();
                        _position = saved;
                        return value;
                    }

                default:
                    throw new InvalidDataException($"Unknown value tag {_data[at]} at byte {at} of an encoded event log.");
            }
        }

        private string[]? ReadStrings()
        {
            var count = (int)ReadVarint();
            if (count == 0)
            {
                return null;
            }

            string[] strings = count == 1 ? [] : new string[count - 1];
            for (var i = 0; i < strings.Length; i++)
            {
                strings[i] = ReadString()!;
            }

            return strings;
        }

        private string? ReadString()
        {
            var code = ReadVarint();
            if (code == 0)
            {
                return null;
            }

            if ((code & 1) != 0)
            {
                return _constants is not null
                    ? _constants.GetString((int)(code >> 1))
                    : throw new InvalidDataException($"An encoded event log refers to pooled string {code >> 1} at byte {_position} but no pool was given to decode it.");
            }

            if (_strings is null)
            {
                IndexStrings();
            }

            var index = (int)(code >> 1) - 1;
            return _strings![index] ??= MaterializeString(index);
        }

        // Notes where each string of the table starts; strings are built only when an event being decoded uses them.
        private void IndexStrings()
        {
            var saved = _position;
            _position = _tableOffset;
            var count = (int)ReadVarint();
            _strings = ArrayPool<string?>.Shared.Rent(count);
            _stringOffsets = ArrayPool<int>.Shared.Rent(count);
            for (var i = 0; i < count; i++)
            {
                _stringOffsets[i] = _position;
                var header = (int)ReadVarint();
                _position += header >> 1;
            }

            _position = saved;
        }

        private string MaterializeString(int index)
        {
            var saved = _position;
            _position = _stringOffsets![index];
            var header = (int)ReadVarint();
            var bytes = _data.Slice(_position, header >> 1);
            _position = saved;
            if ((header & 1) == 0)
            {
                return Encoding.UTF8.GetString(bytes);
            }

            // A string that is not valid Unicode was kept as UTF-16 code units.
            var chars = new char[bytes.Length / 2];
            bytes.CopyTo(MemoryMarshal.AsBytes(chars.AsSpan()));
            return new string(chars);
        }

        private int ReadInt() => (int)ReadSigned();

        private long ReadSigned()
        {
            var raw = ReadVarint();
            return (long)(raw >> 1) ^ -(long)(raw & 1);
        }

        private ulong ReadVarint()
        {
            ulong result = 0;
            var shift = 0;
            while (true)
            {
                var b = _data[_position++];
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return result;
                }

                shift += 7;
                if (shift > 63)
                {
                    throw new InvalidDataException($"A varint longer than 10 bytes ends at byte {_position} of an encoded event log.");
                }
            }
        }
    }
}
