using System.Runtime.InteropServices;

namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// What <see cref="CompactEventLogs.Read(string, long)"/> found: a copy of live events, or a finished log's bytes that
/// <see cref="Events"/> decodes (bytes that never change, so no lock is needed for it).
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly struct EventLogRead
{
    private readonly IReadOnlyList<ExecutionEvent>? _events;
    private readonly ReadOnlyMemory<byte> _encoded;
    private readonly string? _executionId;
    private readonly long _fromSequence;
    private readonly ConstantPool? _constants;

    internal EventLogRead(IReadOnlyList<ExecutionEvent> events)
    {
        _events = events;
    }

    internal EventLogRead(ReadOnlyMemory<byte> encoded, string executionId, long fromSequence, ConstantPool constants)
    {
        _constants = constants;
        _encoded = encoded;
        _executionId = executionId;
        _fromSequence = fromSequence;
    }

    /// <summary>The events, decoded when the log is finished (fresh objects on every call).</summary>
    public IReadOnlyList<ExecutionEvent> Events() =>
        _events ?? (_executionId is null ? [] : EventLogDecoder.Decode(_encoded.Span, _executionId, _fromSequence, _constants));
}
