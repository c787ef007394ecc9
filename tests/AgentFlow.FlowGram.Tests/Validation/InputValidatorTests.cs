using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Executors;
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
        Assert.Equal(expected, InputValidator.Validate(Schema(), Stored(inputs)));

    [Fact]
    public void Validate_ExtraKeys_AreAllowed() =>
        Assert.Null(InputValidator.Validate(Schema(), Stored("{\"a\":\"x\",\"zzz\":true}")));

    /// <summary>
    /// Array items of one scalar type are checked without building their paths unless one fails: each item must get
    /// the message the full check gives the same value as a property.
    /// </summary>
    [Theory]
    [InlineData("integer")]
    [InlineData("number")]
    [InlineData("string")]
    [InlineData("boolean")]
    public void Validate_ScalarArrayItems_SameMessageAsTheFullCheck(string type)
    {
        var candidates = new[] { "1", "1.5", "-0", "\"s\"", "\"\"", "true", "false", "null", "[]", "{}", "[1]", "1e300" };
        var items = (JsObject)Js.Parse("""{"type":"object","properties":{"xs":{"type":"array","items":{"type":""" + Quoted(type) + "}}}}")!;
        var property = (JsObject)Js.Parse("""{"type":"object","properties":{"x":{"type":""" + Quoted(type) + "}}}")!;
        var withEnum = (JsObject)Js.Parse("""{"type":"object","properties":{"xs":{"type":"array","items":{"enum":[],"type":""" + Quoted(type) + "}}}}")!;
        foreach (var candidate in candidates)
        {
            var expected = InputValidator.Validate(property, Stored($$"""{"x":{{candidate}}}"""))?.Replace(" at x", " at xs[2]", StringComparison.Ordinal);
            var inputs = Stored($$"""{"xs":[{{candidate}},{{candidate}},{{candidate}}]}""");
            var firstFails = InputValidator.Validate(items, inputs)?.Replace(" at xs[0]", " at xs[2]", StringComparison.Ordinal);

            Assert.Equal(expected, firstFails);

            // An empty enum is no enum: the full check of every item agrees with the scalar test.
            Assert.Equal(InputValidator.Validate(items, inputs), InputValidator.Validate(withEnum, inputs));
        }
    }

    [Fact]
    public void Validate_LaterItemFails_ItsIndexInThePath() =>
        Assert.Equal(
            "JSON Schema validation failed: Expected number at xs[3], but got: \"4\"",
            InputValidator.Validate((JsObject)Js.Parse("""{"type":"object","properties":{"xs":{"type":"array","items":{"type":"number"}}}}""")!, Stored("""{"xs":[1,2,3,"4",5]}""")));

    private static string Quoted(string text) => "\"" + text + "\"";

    private static Value Stored(string json) => VariableCodec.ToValue(Js.Parse(json));
}
