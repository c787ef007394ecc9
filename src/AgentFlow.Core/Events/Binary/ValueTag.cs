namespace AgentFlow.Core.Events.Binary;

/// <summary>The first byte of a <see cref="Values.Value"/> in the binary log format.</summary>
internal enum ValueTag : byte
{
    Null = 0,
    False = 1,
    True = 2,

    // The raw IEEE bits, so NaN payloads and -0.0 survive.
    Double = 3,

    // A zigzag varint: integral numbers within ±2^53 other than -0.0, which convert back to the same double.
    Integer = 4,
    String = 5,
    Array = 6,
    Object = 7,

    // A varint byte offset, within the log, of an array or object written before: the same instance met again.
    Reference = 8,

    // An array of numbers only, all written as Integer would write them: a count, then the zigzag varints.
    IntegerArray = 9,

    // An array of numbers only: a count, then the raw IEEE bits of each.
    NumberArray = 10,

    // A varint number in the log's constant pool: a definition's constant array or object (see ConstantPool).
    Constant = 11,

    // An object whose key sequence the log's constant pool numbers: the varint shape number, then one value per key.
    Shaped = 12,

    // Set on the tag of an array or object that a later Reference points at, so the decoder keeps what it built.
    SharedFlag = 0x80,
}
