using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// Encodes one execution's log into a compact byte form that <see cref="EventLogDecoder"/> reads back into equal events.
/// Reusable and not thread-safe: keep one per writer.
/// </summary>
/// <remarks>
/// The form is for memory, not for disk: it may change between versions, it is little-endian, and it leaves out what
/// the holder already knows (the execution id, given again to the decoder). Layout: an 8-byte header (offset of the
/// string table, event count), the events, then the string table. Each event is its byte length (4 bytes, so byte offsets
/// written inside it never move), a tag
/// (<see cref="EventTag"/>), its sequence and timestamp as deltas from the previous event, then its fields. Every
/// string (node ids, property names, string values) is an index into the log's string table, which holds each distinct
/// string once as UTF-8 (UTF-16 when the string is not valid Unicode, so it comes back unchanged). An array or object
/// instance met a second time is written as the offset of its first copy, and decodes to one shared instance.
/// </remarks>
public sealed class EventLogEncoder
{
    private const int InitialCapacity = 4096;
    private const int RetainedCapacity = 1 << 20;

    // Smaller arrays and objects are cheaper to write again than to look up; what they hold is looked up on its own.
    private const int SharedMinimum = 3;

    // Number arrays this long or longer are remembered across logs, when their bytes fit the limit.
    private const int RememberedMinimum = 16;
    private const int RememberedMaxBytes = 16 * 1024;
    private const int RememberedSlots = 4;

    private readonly ConstantPool? _constants;
    private readonly Dictionary<string, int> _stringIndex = new(StringComparer.Ordinal);
    private readonly List<string> _strings = [];
    private readonly Dictionary<ContainerKey, int> _containers = [];
    private readonly ValueArray?[] _rememberedArrays = new ValueArray?[RememberedSlots];
    private readonly byte[]?[] _rememberedBytes = new byte[RememberedSlots][];
    private readonly int[] _rememberedLengths = new int[RememberedSlots];
    private int _nextRemembered;
    private byte[] _buffer = new byte[InitialCapacity];
    private int _position;
    private long _lastSequence;
    private long _lastTicks;

    /// <summary>An encoder that copies every value into the log.</summary>
    public EventLogEncoder()
    {
    }

    /// <summary>
    /// An encoder that writes a definition's constant containers as their number in <paramref name="constants"/>; the
    /// logs it writes decode only with the same pool.
    /// </summary>
    public EventLogEncoder(ConstantPool constants)
    {
        ArgumentNullException.ThrowIfNull(constants);
        _constants = constants;
    }

    /// <summary>Encodes <paramref name="events"/>, which must all belong to one execution, in order.</summary>
    /// <returns>The encoded log, valid until the next call on this encoder.</returns>
    /// <exception cref="NotSupportedException">An event type this encoder does not know.</exception>
    public ReadOnlySpan<byte> Encode(IReadOnlyList<ExecutionEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_buffer.Length > RetainedCapacity)
        {
            // One huge log should not pin a huge buffer for the encoder's lifetime.
            _buffer = new byte[InitialCapacity];
        }

        _stringIndex.Clear();
        _strings.Clear();
        _containers.Clear();
        _position = EventLogFormat.HeaderSize;
        _lastSequence = 0;
        _lastTicks = 0;
        for (var i = 0; i < events.Count; i++)
        {
            WriteEvent(events[i]);
        }

        var tableOffset = _position;
        WriteVarint((uint)_strings.Count);
        for (var i = 0; i < _strings.Count; i++)
        {
            WriteStringBytes(_strings[i]);
        }

        BinaryPrimitives.WriteInt32LittleEndian(_buffer, tableOffset);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(4), events.Count);
        return _buffer.AsSpan(0, _position);
    }

    private void WriteEvent(ExecutionEvent e)
    {
        var start = ReserveLength();
        switch (e)
        {
            case NodeStarted x:
                WriteHeader(EventTag.NodeStarted, e);
                WriteString(x.NodeId);
                WriteInt(x.Attempt);
                WriteValue(x.Parameters);
                break;
            case NodeSucceeded x:
                WriteHeader(EventTag.NodeSucceeded, e);
                WriteString(x.NodeId);
                WriteInt(x.Attempt);
                WriteValue(x.Output);
                WriteString(x.Branch);
                break;
            case ExecutionStarted x:
                WriteHeader(EventTag.ExecutionStarted, e);
                WriteString(x.WorkflowId);
                WriteInt(x.WorkflowVersion);
                WriteValue(x.Inputs);
                WriteString(x.ParentExecutionId);
                WriteString(x.ParentNodeId);
                WriteValue(x.Scope);
                WriteInt(x.SchemaVersion);
                WriteStrings(x.SecretInputs);
                WriteByte(x.InheritsParentContext ? (byte)1 : (byte)0);
                break;
            case ExecutionCompleted x:
                WriteHeader(EventTag.ExecutionCompleted, e);
                WriteValue(x.Outputs);
                break;
            case VariablesAssigned x:
                WriteHeader(EventTag.VariablesAssigned, e);
                WriteString(x.NodeId);
                WriteValue(x.Values);
                break;
            case NodeFailed x:
                WriteHeader(EventTag.NodeFailed, e);
                WriteString(x.NodeId);
                WriteInt(x.Attempt);
                WriteError(x.Error);
                WriteByte(x.WillRetry ? (byte)1 : (byte)0);
                WriteValue(x.Output);
                break;
            case NodeSkipped x:
                WriteHeader(EventTag.NodeSkipped, e);
                WriteString(x.NodeId);
                WriteString(x.Reason);
                break;
            case ExecutionFailed x:
                WriteHeader(EventTag.ExecutionFailed, e);
                WriteError(x.Error);
                WriteString(x.NodeId);
                break;
            case NodeRetryScheduled x:
                WriteHeader(EventTag.NodeRetryScheduled, e);
                WriteString(x.NodeId);
                WriteInt(x.NextAttempt);
                WriteMoment(x.DueAt, e.Timestamp.Ticks);
                break;
            case NodeCancelled x:
                WriteHeader(EventTag.NodeCancelled, e);
                WriteString(x.NodeId);
                WriteInt(x.Attempt);
                break;
            case TimerScheduled x:
                WriteHeader(EventTag.TimerScheduled, e);
                WriteString(x.NodeId);
                WriteMoment(x.DueAt, e.Timestamp.Ticks);
                break;
            case TimerFired x:
                WriteHeader(EventTag.TimerFired, e);
                WriteString(x.NodeId);
                break;
            case SignalReceived x:
                WriteHeader(EventTag.SignalReceived, e);
                WriteString(x.NodeId);
                WriteString(x.Name);
                WriteValue(x.Payload);
                WriteLong(x.SignalId);
                break;
            case ExecutionCancelRequested x:
                WriteHeader(EventTag.ExecutionCancelRequested, e);
                WriteString(x.Reason);
                break;
            case ExecutionCancelled:
                WriteHeader(EventTag.ExecutionCancelled, e);
                break;
            case ExecutionPaused x:
                WriteHeader(EventTag.ExecutionPaused, e);
                WriteString(x.Reason);
                break;
            case ExecutionResumed:
                WriteHeader(EventTag.ExecutionResumed, e);
                break;
            case ExecutionRetried x:
                WriteHeader(EventTag.ExecutionRetried, e);
                WriteStrings(x.NodeIds);
                break;
            default:
                throw new NotSupportedException($"The binary event log cannot encode '{e?.GetType().FullName ?? "null"}': add it to {nameof(EventLogEncoder)}, {nameof(EventLogDecoder)} and {nameof(EventTag)}.");
        }

        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _position - start - EventLogFormat.EventLengthSize);
    }

    private void WriteHeader(EventTag tag, ExecutionEvent e)
    {
        WriteByte((byte)tag);
        WriteSigned(e.Sequence - _lastSequence);
        _lastSequence = e.Sequence;
        WriteMoment(e.Timestamp, _lastTicks);
        _lastTicks = e.Timestamp.Ticks;
    }

    private void WriteMoment(DateTimeOffset moment, long baseTicks)
    {
        WriteSigned(moment.Ticks - baseTicks);
        WriteSigned(moment.Offset.Ticks / TimeSpan.TicksPerMinute);
    }

    private void WriteError(ErrorInfo? error)
    {
        if (error is null)
        {
            WriteByte(0);
            return;
        }

        WriteByte(error.Retryable ? (byte)2 : (byte)1);
        WriteString(error.Code);
        WriteString(error.Message);
        WriteValue(error.Details);
    }

    private void WriteValue(Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Null:
                WriteByte((byte)ValueTag.Null);
                break;
            case ValueKind.Boolean:
                WriteByte(value.AsBoolean() ? (byte)ValueTag.True : (byte)ValueTag.False);
                break;
            case ValueKind.Number:
                WriteNumber(value.AsNumber());
                break;
            case ValueKind.String:
                WriteTagged(ValueTag.String, StringReference(value.AsString()));
                break;
            case ValueKind.Array:
                {
                    var array = value.AsArray();
                    if (array.IsConstant && TryWriteConstant(value, array))
                    {
                        break;
                    }

                    if (array.Count >= SharedMinimum && TryWriteReference(array))
                    {
                        break;
                    }

                    var items = array.AsSpan();
                    if (items.Length > 1 && items[0].Kind == ValueKind.Number && TryWriteNumbers(array))
                    {
                        break;
                    }

                    WriteTagged(ValueTag.Array, (uint)items.Length);
                    for (var i = 0; i < items.Length; i++)
                    {
                        WriteValue(items[i]);
                    }

                    break;
                }

            default:
                {
                    var obj = value.AsObject();
                    if (obj.IsConstant && TryWriteConstant(value, obj))
                    {
                        break;
                    }

                    if (obj.Count >= SharedMinimum && TryWriteReference(obj))
                    {
                        break;
                    }

                    WriteTagged(ValueTag.Object, (uint)obj.Count);
                    foreach (var (name, item) in obj)
                    {
                        WriteString(name);
                        WriteValue(item);
                    }

                    break;
                }
        }
    }

    private bool TryWriteConstant(Value value, object container)
    {
        if (_constants is null || !_constants.TryGetNumber(value, container, out var number))
        {
            return false;
        }

        WriteTagged(ValueTag.Constant, (uint)number);
        return true;
    }

    // Node parameters and outputs hand the same array or object from event to event (a loop's items sit in the
    // inputs, the scope and several node outputs): the second time, write where the first one is.
    private bool TryWriteReference(object container)
    {
        ref var offset = ref CollectionsMarshal.GetValueRefOrAddDefault(_containers, new ContainerKey(container), out var exists);
        if (!exists)
        {
            offset = _position;
            return false;
        }

        _buffer[offset] |= (byte)ValueTag.SharedFlag;
        WriteTagged(ValueTag.Reference, (uint)offset);
        return true;
    }

    // Arrays of numbers (items, indexes, scores, embeddings) without a tag per item. Written as integers until an item
    // proves otherwise, then rewound.
    private bool TryWriteNumbers(ValueArray array)
    {
        var items = array.AsSpan();
        if (items.Length >= RememberedMinimum && TryWriteRemembered(array))
        {
            return true;
        }

        var start = _position;
        if (!TryWriteNumbers(items))
        {
            return false;
        }

        if (items.Length >= RememberedMinimum && _position - start <= RememberedMaxBytes)
        {
            Remember(array, start);
        }

        return true;
    }

    // A parent's array handed to each of its children (a loop's items in every iteration's start event) is encoded
    // once, not once per log: packed numbers hold no string-table index, so their bytes fit any log. Values are
    // immutable, so the same instance has the same content.
    private bool TryWriteRemembered(ValueArray array)
    {
        for (var i = 0; i < RememberedSlots; i++)
        {
            if (ReferenceEquals(_rememberedArrays[i], array))
            {
                var length = _rememberedLengths[i];
                Ensure(length);
                _rememberedBytes[i].AsSpan(0, length).CopyTo(_buffer.AsSpan(_position));
                _position += length;
                return true;
            }
        }

        return false;
    }

    private void Remember(ValueArray array, int start)
    {
        var slot = _nextRemembered;
        _nextRemembered = (slot + 1) % RememberedSlots;
        var length = _position - start;
        var bytes = _rememberedBytes[slot];
        if (bytes is null || bytes.Length < length)
        {
            bytes = _rememberedBytes[slot] = new byte[Math.Max(length, 256)];
        }

        _buffer.AsSpan(start, length).CopyTo(bytes);
        _rememberedArrays[slot] = array;
        _rememberedLengths[slot] = length;
    }

    private bool TryWriteNumbers(ReadOnlySpan<Value> items)
    {
        var start = _position;
        WriteTagged(ValueTag.IntegerArray, (uint)items.Length);
        Ensure(items.Length * 10);
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            if (item.Kind != ValueKind.Number)
            {
                _position = start;
                return false;
            }

            var number = item.AsNumber();
            if (!IsCompactInteger(number))
            {
                _position = start;
                return TryWriteDoubles(items);
            }

            var integer = (long)number;
            PutVarint((ulong)((integer << 1) ^ (integer >> 63)));
        }

        return true;
    }

    private bool TryWriteDoubles(ReadOnlySpan<Value> items)
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i].Kind != ValueKind.Number)
            {
                return false;
            }
        }

        WriteTagged(ValueTag.NumberArray, (uint)items.Length);
        Ensure(items.Length * 8);
        for (var i = 0; i < items.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position), BitConverter.DoubleToInt64Bits(items[i].AsNumber()));
            _position += 8;
        }

        return true;
    }

    // Integral numbers within ±2^53 other than -0.0 convert to a long and back to the same double.
    private static bool IsCompactInteger(double number) =>
        number is >= -EventLogFormat.MaxExactInteger and <= EventLogFormat.MaxExactInteger && (long)number == number && !(number == 0 && double.IsNegative(number));

    private void WriteNumber(double number)
    {
        if (IsCompactInteger(number))
        {
            var integer = (long)number;
            WriteTagged(ValueTag.Integer, (ulong)((integer << 1) ^ (integer >> 63)));
            return;
        }

        Ensure(9);
        _buffer[_position] = (byte)ValueTag.Double;
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position + 1), BitConverter.DoubleToInt64Bits(number));
        _position += 9;
    }

    private void WriteStrings(IReadOnlyList<string>? strings)
    {
        if (strings is null)
        {
            WriteVarint(0);
            return;
        }

        WriteVarint((uint)strings.Count + 1);
        for (var i = 0; i < strings.Count; i++)
        {
            WriteString(strings[i]);
        }
    }

    private void WriteString(string? value) => WriteVarint(value is null ? 0 : StringReference(value));

    // The string table index plus one (0 stands for null).
    private uint StringReference(string value)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_stringIndex, value, out var exists);
        if (!exists)
        {
            index = _strings.Count;
            _strings.Add(value);
        }

        return (uint)index + 1;
    }

    // Length shifted left once; the low bit says UTF-16 (a string with a lone surrogate, which UTF-8 would replace).
    private void WriteStringBytes(string value)
    {
        var maxBytes = value.Length * 3;
        var start = _position;
        var reserved = EventLogFormat.VarintSize(((uint)maxBytes << 1) | 1);
        Ensure(reserved + maxBytes);
        var destination = _buffer.AsSpan(start + reserved, maxBytes);
        if (Utf8.FromUtf16(value, destination, out _, out var written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done)
        {
            _position = start + reserved + written;
            CloseLength(start, reserved, (uint)written << 1);
            return;
        }

        var chars = MemoryMarshal.AsBytes(value.AsSpan());
        chars.CopyTo(destination);
        _position = start + reserved + chars.Length;
        CloseLength(start, reserved, ((uint)chars.Length << 1) | 1);
    }

    private int ReserveLength()
    {
        Ensure(EventLogFormat.EventLengthSize);
        var start = _position;
        _position += EventLogFormat.EventLengthSize;
        return start;
    }

    // Writes a varint length before data already written after `reserved` bytes at `start`, moving the data when the
    // varint needs a different number of bytes than were reserved.
    private void CloseLength(int start, int reserved, uint length)
    {
        var size = EventLogFormat.VarintSize(length);
        if (size != reserved)
        {
            var dataLength = _position - start - reserved;
            Ensure(size - reserved);
            _buffer.AsSpan(start + reserved, dataLength).CopyTo(_buffer.AsSpan(start + size));
            _position = start + size + dataLength;
        }

        EventLogFormat.WriteVarint(_buffer.AsSpan(start), length);
    }

    private void WriteInt(int value) => WriteSigned(value);

    private void WriteLong(long value) => WriteSigned(value);

    private void WriteSigned(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    private void WriteVarint(ulong value)
    {
        Ensure(10);
        PutVarint(value);
    }

    private void WriteTagged(ValueTag tag, ulong value)
    {
        Ensure(11);
        _buffer[_position++] = (byte)tag;
        PutVarint(value);
    }

    // Callers have made room for ten bytes.
    private void PutVarint(ulong value)
    {
        var buffer = _buffer;
        var position = _position;
        while (value >= 0x80)
        {
            buffer[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[position++] = (byte)value;
        _position = position;
    }

    private void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_position++] = value;
    }

    private void Ensure(int more)
    {
        if (_position + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _position + more));
        }
    }

    /// <summary>An array or object by identity, hashed without an interface call per lookup.</summary>
    private readonly struct ContainerKey(object container) : IEquatable<ContainerKey>
    {
        private readonly object _container = container;

        public bool Equals(ContainerKey other) => ReferenceEquals(_container, other._container);

        public override bool Equals(object? obj) => obj is ContainerKey other && Equals(other);

        public override int GetHashCode() => RuntimeHelpers.GetHashCode(_container);
    }
}
