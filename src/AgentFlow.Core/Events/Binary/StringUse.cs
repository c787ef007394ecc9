using System.Runtime.InteropServices;

namespace AgentFlow.Core.Events.Binary;

/// <summary>One string reference an encoded value made: the remembered string and its index in that log's table.</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct StringUse(int Id, int Index);
