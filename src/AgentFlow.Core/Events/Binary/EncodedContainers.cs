using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// The bytes of array and object instances met in more than one log, with the string references they hold, so a later
/// log copies them instead of walking the values again (a loop's items, a node's definition, the scope handed to each
/// child execution). Values are immutable: the same instance has the same content, and so the same bytes, as long as
/// its strings get the same indexes in the new log's table (checked by <see cref="EncoderStringTable.TryReplay"/>);
/// references inside are padded to a fixed size and patched with the new log's offsets.
/// </summary>
/// <remarks>
/// Direct-mapped by identity and bounded (<see cref="Slots"/> containers, <see cref="MaxBytes"/> bytes each): an
/// instance is noted the first time and its bytes kept the second, so containers that every log builds afresh cost a
/// note, not a copy; kept bytes used since the slot's last collision survive the next one (a clock bit).
/// </remarks>
internal sealed class EncodedContainers
{
    private const int Slots = 1024;
    private const int MaxBytes = 4096;
    private const int MaxStrings = 512;
    private const int MaxUses = 128;

    private readonly Slot[] _slots = new Slot[Slots];

    /// <summary>
    /// Writes the kept bytes of <paramref name="container"/> at <paramref name="position"/>, with this log's offsets
    /// in their references; false when there are none or they do not fit this log, and then <paramref name="keep"/>
    /// says whether to <see cref="Keep"/> them once written.
    /// </summary>
    public bool TryWrite(object container, EncoderStringTable strings, ContainerOffsets containers, ref byte[] buffer, ref int position, out bool keep)
    {
        ref var slot = ref _slots[RuntimeHelpers.GetHashCode(container) & (Slots - 1)];
        keep = false;
        if (!ReferenceEquals(slot.Container, container) || slot.Generation != strings.Generation)
        {
            if (slot.Hot && slot.Generation == strings.Generation)
            {
                // Kept bytes in use since the last collision stay: containers built afresh for each log would
                // otherwise push out the ones every log shares.
                slot.Hot = false;
                return false;
            }

            // Noted now; a later log that meets it again keeps its bytes.
            slot.Container = container;
            slot.Generation = strings.Generation;
            slot.Length = -1;
            return false;
        }

        keep = true;
        if (slot.Length < 0)
        {
            return false;
        }

        var uses = slot.Uses.AsSpan(0, slot.UseCount);
        foreach (var use in uses)
        {
            if (use.ReferenceAt >= 0 && use.Offset < 0 && containers.Find(use.Container) < 0)
            {
                // A reference to a container this log has not written (yet): walk, and keep what that writes.
                slot.Length = -1;
                return false;
            }
        }

        if (!strings.TryReplay(slot.Strings.AsSpan(0, slot.StringCount)))
        {
            slot.Length = -1;
            return false;
        }

        var start = position;
        if (buffer.Length - start < slot.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, start + slot.Length));
        }

        slot.Bytes.AsSpan(0, slot.Length).CopyTo(buffer.AsSpan(start));
        position = start + slot.Length;
        foreach (var use in uses)
        {
            if (use.ReferenceAt < 0)
            {
                containers.GetOrAdd(use.Container, start + use.Offset);
                continue;
            }

            var target = use.Offset >= 0 ? start + use.Offset : containers.Find(use.Container);
            buffer[target] |= (byte)ValueTag.SharedFlag;
            EventLogFormat.WritePaddedVarint(buffer.AsSpan(start + use.ReferenceAt), (uint)target);
            containers.NoteReference(use.Container, target, start + use.ReferenceAt);
        }

        slot.Hot = true;
        keep = false;
        return true;
    }

    /// <summary>
    /// Keeps the bytes of <paramref name="container"/> (noted before), written at <paramref name="start"/> of
    /// <paramref name="log"/> with the string references <paramref name="strings"/> and the container writes and
    /// references <paramref name="uses"/>, when they fit the bounds.
    /// </summary>
    public void Keep(object container, ReadOnlySpan<byte> log, int start, ReadOnlySpan<StringUse> strings, ReadOnlySpan<ContainerUse> uses)
    {
        ref var slot = ref _slots[RuntimeHelpers.GetHashCode(container) & (Slots - 1)];
        var bytes = log[start..];
        if (!ReferenceEquals(slot.Container, container) || bytes.Length > MaxBytes || strings.Length > MaxStrings || uses.Length > MaxUses)
        {
            return;
        }

        if (slot.Bytes is null || slot.Bytes.Length < bytes.Length)
        {
            slot.Bytes = new byte[Math.Max(bytes.Length, 64)];
        }

        if (slot.Strings is null || slot.Strings.Length < strings.Length)
        {
            slot.Strings = new StringUse[Math.Max(strings.Length, 8)];
        }

        if (slot.Uses is null || slot.Uses.Length < uses.Length)
        {
            slot.Uses = new ContainerUse[Math.Max(uses.Length, 4)];
        }

        bytes.CopyTo(slot.Bytes);
        strings.CopyTo(slot.Strings);
        for (var i = 0; i < uses.Length; i++)
        {
            // Offsets relative to the container's start; a reference to a container written before it keeps only
            // the instance (Offset -1), to be found again in the log it is copied into.
            var use = uses[i];
            slot.Uses[i] = use.ReferenceAt < 0 ? use with { Offset = use.Offset - start }
                : new ContainerUse(use.Container, use.Offset >= start ? use.Offset - start : -1, use.ReferenceAt - start);
        }

        slot.Length = bytes.Length;
        slot.StringCount = strings.Length;
        slot.UseCount = uses.Length;
    }

    /// <summary>One container: noted (Length -1) or kept.</summary>
    [StructLayout(LayoutKind.Auto)]
    private struct Slot
    {
        public object? Container;
        public byte[]? Bytes;
        public StringUse[]? Strings;
        public ContainerUse[]? Uses;
        public int Length;
        public int StringCount;
        public int UseCount;
        public int Generation;
        public bool Hot;
    }
}
