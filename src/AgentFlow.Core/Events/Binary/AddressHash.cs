using System.Runtime.CompilerServices;

namespace AgentFlow.Core.Events.Binary;

/// <summary>
/// A hash of where an object lies in memory now, for tables that find an instance again by reference within one log.
/// </summary>
/// <remarks>
/// <see cref="RuntimeHelpers.GetHashCode(object)"/> installs a hash in the header of every fresh object it sees, a
/// runtime call per array, object and string of a log the encoder walks once. The address costs a multiplication. The
/// garbage collector may move an object between two lookups: the second then lands in another slot and misses, which
/// the callers treat as "not met before" (a string is found again by content, a container is written again), never as
/// a wrong match, because a slot matches only the same reference.
/// </remarks>
internal static class AddressHash
{
    /// <summary>A 32-bit hash of <paramref name="instance"/>'s current address; mask its low bits for a slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Of(object instance)
    {
        // Fibonacci hashing: the high half of the product mixes every address bit, alignment zeros included.
        var address = (ulong)Unsafe.As<object, nint>(ref instance);
        return (int)((address * 0x9E3779B97F4A7C15UL) >> 32);
    }
}
