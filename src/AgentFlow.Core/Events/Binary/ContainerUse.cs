using System.Runtime.InteropServices;

namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// An array or object instance written at <paramref name="Offset"/> of a log (<paramref name="ReferenceAt"/> -1), or a
/// reference to it whose padded offset lies at <paramref name="ReferenceAt"/>.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct ContainerUse(object Container, int Offset, int ReferenceAt);
