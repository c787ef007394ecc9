using AgentFlow.Core.Events;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Execution;

public sealed class EventSerializationTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static TheoryData<ExecutionEvent> AllEvents => new()
    {
        new ExecutionStarted("e", 1, At, "wf", 3, Value.Object(("n", 1))),
        new ExecutionStarted("e/m/1/0", 1, At, "body", 1, Value.EmptyObject, "e", "m", Value.Object(("item", "x"), ("index", 0))),
        new ExecutionStarted("e", 1, At, "wf", 1, Value.Object(("token", "t"))) { SecretInputs = ["token"] },
        new NodeStarted("e", 2, At, "a", 1, Value.Object(("url", "http://x"))),
        new NodeSucceeded("e", 3, At, "a", 1, Value.Array(1, 2), null),
        new NodeSucceeded("e", 3, At, "route", 1, Value.Object(("branch", "high")), "high"),
        new NodeFailed("e", 4, At, "a", 2, new ErrorInfo("http.status", "503", Value.Object(("status", 503)), true), true),
        new NodeFailed("e", 4, At, "a", 3, new ErrorInfo("boom", "x"), false, Value.Object(("fallback", true))),
        new NodeRetryScheduled("e", 5, At, "a", 3, At.AddSeconds(4)),
        new NodeSkipped("e", 6, At, "b", "no incoming edge was taken"),
        new NodeCancelled("e", 7, At, "c", 1),
        new TimerScheduled("e", 8, At, "wait", At.AddMinutes(5)),
        new TimerFired("e", 9, At, "wait"),
        new VariablesAssigned("e", 10, At, "set", Value.Object(("count", 2))),
        new ExecutionCancelRequested("e", 11, At, "user"),
        new ExecutionCompleted("e", 12, At, Value.Object(("out", "done"))),
        new ExecutionFailed("e", 12, At, new ErrorInfo("timeout", "too slow", Retryable: true), "a"),
        new ExecutionCancelled("e", 12, At),
    };

    [Theory]
    [MemberData(nameof(AllEvents))]
    public void Serialize_EveryEventType_RoundTrips(ExecutionEvent original)
    {
        var json = EventSerializer.Serialize(original);
        var back = EventSerializer.Deserialize(json);

        Assert.Equal(original.GetType(), back.GetType());
        Assert.Equal(json, EventSerializer.Serialize(back));
        Assert.Equal(original, back);
    }

    [Fact]
    public void Serialize_NodeStarted_UsesTypeDiscriminatorAndCamelCase()
    {
        var json = EventSerializer.Serialize(new NodeStarted("e", 2, At, "a", 1, Value.Object(("k", "v"))));

        Assert.Equal("""{"type":"nodeStarted","nodeId":"a","attempt":1,"parameters":{"k":"v"},"executionId":"e","sequence":2,"timestamp":"2026-01-02T03:04:05+00:00"}""", json);
    }

    [Fact]
    public void Serialize_ExecutionStarted_CarriesSchemaVersion()
    {
        var json = EventSerializer.Serialize(new ExecutionStarted("e", 1, At, "wf", 1, Value.EmptyObject));

        Assert.Contains($"\"schemaVersion\":{EventSchema.Version}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_UnknownType_Throws() =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => EventSerializer.Deserialize("""{"type":"nope","executionId":"e","sequence":1}"""));
}
