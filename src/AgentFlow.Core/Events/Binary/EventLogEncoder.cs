using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// (<see cref="EventTag"/>), its sequence and UTC ticks as deltas from the previous event, its offset in minutes, then its fields. Every
/// string (node ids, property names, string values) is an index into the log's string table, which holds each distinct
/// string once as UTF-8 (UTF-16 when the string is not valid Unicode, so it comes back unchanged). An array or object
/// instance met a second time is written as the offset of its first copy, and decodes to one shared instance.
/// Between logs the encoder keeps strings it has transcoded (found again by instance, see <see cref="EncoderStringTable"/>);
/// every log's bytes still stand alone, but for what an encoder with a <see cref="ConstantPool"/> writes as its number
/// there: the definition constants, and strings it met in an earlier log (a string reference is odd for a pooled
/// string, even for one of the log's own table), and object shapes met in an earlier log: such an object is written as
/// its shape's number in the pool and its values, without names (see <see cref="EncoderShapeTable"/>).
/// </remarks>
public sealed class EventLogEncoder
{
    private const int InitialCapacity = 4096;
    private const int RetainedCapacity = 1 << 20;

    // Room a scalar value needs: a tag and a ten-byte varint.
    private const int MaxScalarSize = 11;

    // Room an event's header needs: its tag and three ten-byte varints.
    private const int MaxHeaderSize = 31;

    // Smaller arrays and objects are cheaper to write again than to look up; what they hold is looked up on its own.
    private const int SharedMinimum = 3;

    // Room an object's entry needs when its value is a scalar: a five-byte name index and the value.
    private const int EntrySize = 5 + MaxScalarSize;


    private readonly ConstantPool? _constants;
    private readonly EncoderStringTable _strings;
    private readonly EncoderShapeTable? _shapes;
    private readonly ContainerOffsets _containers = new();
    // The encoder's own buffer; _buffer is it, or an arena chunk the log is written straight into from _base on.
    private byte[] _own = new byte[InitialCapacity];
    private byte[] _buffer;
    private int _base;
    private int _position;
    private long _lastSequence;
    private long _lastTicks;

    // Where the event being written starts, from the log's start.
    private int _eventStart;

    /// <summary>An encoder that copies every value into the log.</summary>
    public EventLogEncoder()
        : this(new EncoderStringTable(), null)
    {
    }

    /// <summary>
    /// An encoder that writes a definition's constant containers as their number in <paramref name="constants"/>; the
    /// logs it writes decode only with the same pool.
    /// </summary>
    public EventLogEncoder(ConstantPool constants)
        : this(new EncoderStringTable(), constants ?? throw new ArgumentNullException(nameof(constants)))
    {
    }

    // Tests pass a string table with small bounds, to cross them, and turn shapes off to compare with names only.
    internal EventLogEncoder(EncoderStringTable strings, ConstantPool? constants = null, bool shapes = true)
    {
        _strings = strings;
        _strings.ShareThrough(constants);
        _constants = constants;
        _shapes = constants is null || !shapes ? null : new EncoderShapeTable(constants);
        _buffer = _own;
    }

    /// <summary>Encodes <paramref name="events"/>, which must all belong to one execution, in order.</summary>
    /// <returns>The encoded log, valid until the next call on this encoder.</returns>
    /// <exception cref="NotSupportedException">An event type this encoder does not know.</exception>
    public ReadOnlySpan<byte> Encode(IReadOnlyList<ExecutionEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_own.Length > RetainedCapacity)
        {
            // One huge log should not pin a huge buffer for the encoder's lifetime.
            _own = new byte[InitialCapacity];
        }

        return EncodeAt(events, _own, 0);
    }

    /// <summary>
    /// Encodes <paramref name="events"/> straight into <paramref name="arena"/>'s current chunk, sparing the copy from
    /// the encoder's buffer; a log that outgrows the room left there is finished in that buffer and copied after all.
    /// </summary>
    internal ReadOnlyMemory<byte> EncodeInto(IReadOnlyList<ExecutionEvent> events, EventArena arena)
    {
        ArgumentNullException.ThrowIfNull(events);
        var chunk = arena.Reserve(out var start);
        try
        {
            var encoded = EncodeAt(events, chunk, start);
            return ReferenceEquals(_buffer, chunk) ? arena.Commit(encoded.Length) : arena.Append(encoded);
        }
        finally
        {
            _buffer = _own;
            _base = 0;
        }
    }

    private ReadOnlySpan<byte> EncodeAt(IReadOnlyList<ExecutionEvent> events, byte[] buffer, int start)
    {
        _buffer = buffer;
        _base = start;
        _strings.BeginLog();
        _shapes?.BeginLog();
        _position = start + EventLogFormat.HeaderSize;
        _lastSequence = 0;
        _lastTicks = 0;
        try
        {
            // The stores hand lists and arrays: walk them as spans, not through the interface.
            switch (events)
            {
                case List<ExecutionEvent> list:
                    WriteEvents(CollectionsMarshal.AsSpan(list));
                    break;
                case ExecutionEvent[] array:
                    WriteEvents(array);
                    break;
                default:
                    for (var i = 0; i < events.Count; i++)
                    {
                        WriteEvent(events[i]);
                    }

                    break;
            }
        }
        finally
        {
            _containers.Clear();
        }

        Ensure(_strings.TableSize);
        var tableOffset = _position - _base;
        _position = _strings.WriteTable(_buffer, _position);
        var log = _buffer.AsSpan(_base, _position - _base);
        BinaryPrimitives.WriteInt32LittleEndian(log, tableOffset);
        BinaryPrimitives.WriteInt32LittleEndian(log[4..], events.Count);
        return log;
    }

    private void WriteEvents(ReadOnlySpan<ExecutionEvent> events)
    {
        foreach (var e in events)
        {
            WriteEvent(e);
        }
    }

    private void WriteEvent(ExecutionEvent e)
    {
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
                WriteMoment(x.DueAt, e.Timestamp.UtcTicks);
                break;
            case NodeCancelled x:
                WriteHeader(EventTag.NodeCancelled, e);
                WriteString(x.NodeId);
                WriteInt(x.Attempt);
                break;
            case TimerScheduled x:
                WriteHeader(EventTag.TimerScheduled, e);
                WriteString(x.NodeId);
                WriteMoment(x.DueAt, e.Timestamp.UtcTicks);
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

        var start = _eventStart;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_base + start), _position - _base - start - EventLogFormat.EventLengthSize);
    }

    // Reserves the event's length (written once its end is known) and writes its tag, sequence and timestamp.
    private void WriteHeader(EventTag tag, ExecutionEvent e)
    {
        Ensure(EventLogFormat.EventLengthSize + MaxHeaderSize);
        var buffer = _buffer;

        // From the log's start: making room later may move the log out of an arena chunk.
        _eventStart = _position - _base;
        var position = _position + EventLogFormat.EventLengthSize;
        buffer[position++] = (byte)tag;
        position = PutSigned(buffer, position, e.Sequence - _lastSequence);
        _lastSequence = e.Sequence;
        var timestamp = e.Timestamp;
        // UTC ticks and the offset's minutes are the two fields a DateTimeOffset holds: no arithmetic to read them.
        var ticks = timestamp.UtcTicks;
        position = PutSigned(buffer, position, ticks - _lastTicks);
        position = PutSigned(buffer, position, timestamp.TotalOffsetMinutes);
        _position = position;
        _lastTicks = ticks;
    }

    private void WriteMoment(DateTimeOffset moment, long baseTicks)
    {
        WriteSigned(moment.UtcTicks - baseTicks);
        WriteSigned(moment.TotalOffsetMinutes);
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

    private void WriteValue(in Value value)
    {
        Ensure(MaxScalarSize);
        var position = PutScalar(_buffer, _position, value);
        if (position >= 0)
        {
            _position = position;
        }
        else if (value.Kind == ValueKind.Object)
        {
            WriteObject(value.AsObject());
        }
        else
        {
            WriteArray(value.AsArray());
        }
    }

    // Writes a scalar or an empty array or object (callers have made room for MaxScalarSize bytes) and returns the
    // position after it; -1 for any other array or object, which is left to the caller.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int PutScalar(byte[] buffer, int position, in Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.String:
                buffer[position] = (byte)ValueTag.String;
                return PutVarint(buffer, position + 1, _strings.Reference(value.AsString()));
            case ValueKind.Number:
                return PutNumber(buffer, position, value.AsNumber());
            case ValueKind.Boolean:
                buffer[position] = value.AsBoolean() ? (byte)ValueTag.True : (byte)ValueTag.False;
                return position + 1;
            case ValueKind.Null:
                buffer[position] = (byte)ValueTag.Null;
                return position + 1;
            case ValueKind.Object when value.AsObject().Count == 0:
                // Empty inputs, outputs and vars are in every node's output: two bytes, without the container checks.
                buffer[position] = (byte)ValueTag.Object;
                buffer[position + 1] = 0;
                return position + 2;
            case ValueKind.Array when value.AsArray().Count == 0:
                buffer[position] = (byte)ValueTag.Array;
                buffer[position + 1] = 0;
                return position + 2;
            default:
                return -1;
        }
    }

    private void WriteObject(ValueObject obj)
    {
        var entries = obj.Entries;
        if (obj.IsConstant && TryWriteConstant(Value.From(obj)))
        {
            return;
        }

        if (entries.Length >= SharedMinimum && TryWriteReference(obj))
        {
            return;
        }

        if (_shapes is not null && entries.Length is >= EncoderShapeTable.MinKeys and <= EncoderShapeTable.MaxKeys)
        {
            var shape = _shapes.Number(entries);
            if (shape >= 0)
            {
                WriteTagged(ValueTag.Shaped, (uint)shape);
                WriteEntries(entries, named: false);
                return;
            }
        }

        WriteTagged(ValueTag.Object, (uint)entries.Length);
        WriteEntries(entries, named: true);
    }

    // Each entry's name (unless the object was written as a shape) and value.
    private void WriteEntries(ReadOnlySpan<KeyValuePair<string, Value>> entries, bool named)
    {
        // Room for every name and scalar value at once; only a nested array or object (written through WriteValue,
        // which makes its own room) asks again, for the entries after it.
        Ensure(entries.Length * EntrySize);
        var buffer = _buffer;
        var position = _position;
        for (var i = 0; i < entries.Length; i++)
        {
            ref readonly var entry = ref entries[i];
            if (named)
            {
                position = PutVarint(buffer, position, _strings.Reference(entry.Key));
            }

            var end = PutScalar(buffer, position, entry.Value);
            if (end >= 0)
            {
                position = end;
                continue;
            }

            _position = position;
            WriteValue(entry.Value);
            Ensure((entries.Length - i - 1) * EntrySize);
            buffer = _buffer;
            position = _position;
        }

        _position = position;
    }

    private void WriteArray(ValueArray array)
    {
        var items = array.AsSpan();
        if (array.IsConstant && TryWriteConstant(Value.From(array)))
        {
            return;
        }

        if (items.Length >= SharedMinimum && TryWriteReference(array))
        {
            return;
        }

        if (items.Length > 1 && items[0].Kind == ValueKind.Number && TryWriteNumbers(items))
        {
            return;
        }

        WriteTagged(ValueTag.Array, (uint)items.Length);
        foreach (ref readonly var item in items)
        {
            WriteValue(item);
        }
    }

    private bool TryWriteConstant(Value constant)
    {
        if (_constants is null || !_constants.TryGetNumber(constant, out var number))
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
        var offset = _containers.GetOrAdd(container, _position - _base);
        if (offset < 0)
        {
            return false;
        }

        _buffer[_base + offset] |= (byte)ValueTag.SharedFlag;
        WriteTagged(ValueTag.Reference, (uint)offset);
        return true;
    }

    // Arrays of numbers (items, indexes, scores, embeddings) without a tag per item. Written as integers until an item
    // proves otherwise, then rewound.
    private bool TryWriteNumbers(ReadOnlySpan<Value> items)
    {
        // From the log's start: making room may move the log out of an arena chunk.
        var start = _position - _base;
        WriteTagged(ValueTag.IntegerArray, (uint)items.Length);
        Ensure(items.Length * 10);
        var buffer = _buffer;
        var position = _position;
        foreach (ref readonly var item in items)
        {
            if (item.Kind != ValueKind.Number)
            {
                _position = _base + start;
                return false;
            }

            var number = item.AsNumber();
            if (!IsCompactInteger(number))
            {
                _position = _base + start;
                return TryWriteDoubles(items);
            }

            position = PutSigned(buffer, position, (long)number);
        }

        _position = position;
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsCompactInteger(double number) =>
        number is >= -EventLogFormat.MaxExactInteger and <= EventLogFormat.MaxExactInteger && (long)number == number && !(number == 0 && double.IsNegative(number));

    // Callers have made room for MaxScalarSize bytes.
    private static int PutNumber(byte[] buffer, int position, double number)
    {
        if (IsCompactInteger(number))
        {
            buffer[position] = (byte)ValueTag.Integer;
            return PutSigned(buffer, position + 1, (long)number);
        }

        buffer[position] = (byte)ValueTag.Double;
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(position + 1), BitConverter.DoubleToInt64Bits(number));
        return position + 9;
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

    private void WriteString(string? value) => WriteVarint(value is null ? 0 : _strings.Reference(value));

    private void WriteInt(int value) => WriteSigned(value);

    private void WriteLong(long value) => WriteSigned(value);

    private void WriteSigned(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    private void WriteVarint(ulong value)
    {
        Ensure(10);
        _position = PutVarint(_buffer, _position, value);
    }

    private void WriteTagged(ValueTag tag, ulong value)
    {
        Ensure(MaxScalarSize);
        var buffer = _buffer;
        buffer[_position] = (byte)tag;
        _position = PutVarint(buffer, _position + 1, value);
    }

    // Callers have made room for ten bytes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PutSigned(byte[] buffer, int position, long value) =>
        PutVarint(buffer, position, (ulong)((value << 1) ^ (value >> 63)));

    // Callers have made room for ten bytes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PutVarint(byte[] buffer, int position, ulong value)
    {
        // Most varints (string indexes, small counts and deltas) take one byte.
        if (value < 0x80)
        {
            buffer[position] = (byte)value;
            return position + 1;
        }

        return position + EventLogFormat.WriteVarint(buffer.AsSpan(position), value);
    }

    private void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_position++] = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int more)
    {
        if (_position + more > _buffer.Length)
        {
            Grow(more);
        }
    }

    private void Grow(int more)
    {
        var length = _position - _base;
        if (ReferenceEquals(_buffer, _own))
        {
            Array.Resize(ref _own, Math.Max(_own.Length * 2, length + more));
        }
        else
        {
            // The log outgrew the room left in an arena chunk: it continues in the encoder's buffer, from its start.
            if (_own.Length < length + more)
            {
                _own = new byte[Math.Max(_own.Length * 2, length + more)];
            }

            _buffer.AsSpan(_base, length).CopyTo(_own);
            _base = 0;
            _position = length;
        }

        _buffer = _own;
    }
}
