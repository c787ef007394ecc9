using System.Reflection;
using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Events.Binary;

/// <summary>
/// Compares events stricter than their records' Equals: every public property, numbers by their bits (so -0.0 is not
/// 0.0), object properties in order, and timestamps by ticks and offset (DateTimeOffset equality ignores the offset).
/// </summary>
internal static class ExactEventAssert
{
    public static void Same(IReadOnlyList<ExecutionEvent> expected, IReadOnlyList<ExecutionEvent> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Same(expected[i], actual[i]);
        }
    }

    public static void Same(ExecutionEvent expected, ExecutionEvent actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected, actual);
        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            SameObject(property.GetValue(expected), property.GetValue(actual), $"{expected.GetType().Name}.{property.Name}");
        }
    }

    public static void SameValue(Value expected, Value actual, string path)
    {
        Assert.True(expected.Kind == actual.Kind, $"{path}: kind {expected.Kind} became {actual.Kind}");
        switch (expected.Kind)
        {
            case ValueKind.Number:
                Assert.True(
                    BitConverter.DoubleToInt64Bits(expected.AsNumber()) == BitConverter.DoubleToInt64Bits(actual.AsNumber()),
                    $"{path}: number {expected.AsNumber():R} became {actual.AsNumber():R}");
                break;
            case ValueKind.Boolean:
                Assert.Equal(expected.AsBoolean(), actual.AsBoolean());
                break;
            case ValueKind.String:
                Assert.True(string.Equals(expected.AsString(), actual.AsString(), StringComparison.Ordinal), $"{path}: string differs");
                break;
            case ValueKind.Array:
                Assert.Equal(expected.AsArray().Count, actual.AsArray().Count);
                for (var i = 0; i < expected.AsArray().Count; i++)
                {
                    SameValue(expected.AsArray()[i], actual.AsArray()[i], $"{path}[{i}]");
                }

                break;
            case ValueKind.Object:
                {
                    var expectedEntries = expected.AsObject().ToArray();
                    var actualEntries = actual.AsObject().ToArray();
                    Assert.Equal(expectedEntries.Select(e => e.Key), actualEntries.Select(e => e.Key));
                    for (var i = 0; i < expectedEntries.Length; i++)
                    {
                        SameValue(expectedEntries[i].Value, actualEntries[i].Value, $"{path}.{expectedEntries[i].Key}");
                        Assert.True(actual.AsObject().TryGetValue(expectedEntries[i].Key, out _), $"{path}: lookup of '{expectedEntries[i].Key}' fails");
                    }

                    break;
                }
        }
    }

    private static void SameObject(object? expected, object? actual, string path)
    {
        switch (expected)
        {
            case null:
                Assert.Null(actual);
                break;
            case Value value:
                SameValue(value, Assert.IsType<Value>(actual), path);
                break;
            case DateTimeOffset moment:
                var other = Assert.IsType<DateTimeOffset>(actual);
                Assert.True(moment.Ticks == other.Ticks && moment.Offset == other.Offset, $"{path}: {moment:O} became {other:O}");
                break;
            case ErrorInfo error:
                var otherError = Assert.IsType<ErrorInfo>(actual);
                Assert.Equal(error.Code, otherError.Code);
                Assert.Equal(error.Message, otherError.Message);
                Assert.Equal(error.Retryable, otherError.Retryable);
                SameValue(error.Details, otherError.Details, path + ".Details");
                break;
            case IReadOnlyList<string> strings:
                Assert.Equal(strings, Assert.IsAssignableFrom<IReadOnlyList<string>>(actual));
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }
}
