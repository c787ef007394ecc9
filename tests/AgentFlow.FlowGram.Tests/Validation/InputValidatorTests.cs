using AgentFlow.FlowGram.Validation;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Tests.Validation;

public sealed class InputValidatorTests
{
    private static JsObject Schema() => (JsObject)Js.Parse("""
        {"type":"object","required":["a"],"properties":{
          "a":{"type":"string"},
          "list":{"type":"array","items":{"type":"integer"}},
          "when":{"type":"date-time"}}}
        """)!;

    [Theory]
    [InlineData("{}", "JSON Schema validation failed: Missing required property \"a\" at root")]
    [InlineData("{\"a\":1}", "JSON Schema validation failed: Expected string at a, but got: number")]
    [InlineData("{\"a\":\"x\",\"list\":[1,1.5]}", "JSON Schema validation failed: Expected integer at list[1], but got: 1.5")]
    [InlineData("{\"a\":\"x\",\"when\":\"2024-01-01T00:00:00Z\"}", "JSON Schema validation failed: Unknown type \"date-time\" at when")]
    public void Validate_InvalidInputs_ReturnsFirstReferenceMessage(string inputs, string expected) =>
        Assert.Equal(expected, InputValidator.Validate(Schema(), (JsObject)Js.Parse(inputs)!));

    [Fact]
    public void Validate_ExtraKeys_AreAllowed() =>
        Assert.Null(InputValidator.Validate(Schema(), (JsObject)Js.Parse("{\"a\":\"x\",\"zzz\":true}")!));
}
