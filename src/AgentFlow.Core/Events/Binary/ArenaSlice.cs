using System.Runtime.InteropServices;

namespace AgentFlow.Core.Events.Binary;

/// <summary>Where one frozen log lies in an <see cref="EventArena"/>.</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct ArenaSlice(int Chunk, int Offset, int Length);
