using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Api;

namespace AgentFlow.FlowGram.Tests.Validation;

/// <summary>
/// The input check's message for every kind of schema and value, written down from the implementation that checked
/// JS values converted from the inputs, before it checked the stored inputs directly: no message may move.
/// </summary>
public sealed class InputValidatorMessagesTests
{
    private const string Properties = """
        "s":{"type":"string"},"b":{"type":"boolean"},"i":{"type":"integer"},"n":{"type":"number"},
        "e":{"type":"string","enum":["x",1,null,true,{"o":1},[1]]},"en":{"type":"number","enum":[1,2.5,-0]},
        "o":{"type":"object","required":["k"],"properties":{"k":{"type":"integer"}},"additionalProperties":{"type":"string"}},
        "m":{"type":"map","additionalProperties":{"type":"array","items":{"type":"boolean"}}},
        "a":{"type":"array","items":{"type":"object","properties":{"z":{"type":"number"}}}},
        "r":{"$ref":"#/x","type":"string"},"u":{"type":"weird"},"d":{"type":"date-time"}
        """;

    [Theory]
    [InlineData("""{"s":"x","b":true,"i":1,"n":1.5,"e":"x","en":2.5,"o":{"k":1,"x":"y"},"m":{"q":[true]},"a":[{"z":1}],"r":5}""", null)]
    [InlineData("""{"s":1}""", "Expected string at s, but got: number")]
    [InlineData("""{"s":null}""", "Expected string at s, but got: object")]
    [InlineData("""{"b":"true"}""", "Expected boolean at b, but got: string")]
    [InlineData("""{"i":1.5}""", "Expected integer at i, but got: 1.5")]
    [InlineData("""{"i":"1"}""", "Expected integer at i, but got: \"1\"")]
    [InlineData("""{"i":[1,{"a":null}]}""", "Expected integer at i, but got: [1,{\"a\":null}]")]
    [InlineData("""{"n":null}""", "Expected number at n, but got: null")]
    [InlineData("""{"n":{"x":"é\n"}}""", "Expected number at n, but got: {\"x\":\"é\\n\"}")]
    [InlineData("""{"e":"y"}""", "Value at e must be one of: x, 1, null, true, [object Object], 1, but got: \"y\"")]
    [InlineData("""{"e":null}""", "Expected string at e, but got: object")]
    [InlineData("""{"e":true}""", "Expected string at e, but got: boolean")]
    [InlineData("""{"e":{"o":1}}""", "Value at e must be one of: x, 1, null, true, [object Object], 1, but got: {\"o\":1}")]
    [InlineData("""{"e":1}""", "Expected string at e, but got: number")]
    [InlineData("""{"en":0}""", null)]
    [InlineData("""{"en":3}""", "Value at en must be one of: 1, 2.5, 0, but got: 3")]
    [InlineData("""{"o":null}""", "Expected object at o, but got: null")]
    [InlineData("""{"o":[1]}""", "Expected object at o, but got: array")]
    [InlineData("""{"o":"x"}""", "Expected object at o, but got: string")]
    [InlineData("""{"o":{}}""", "Missing required property \"k\" at o")]
    [InlineData("""{"o":{"k":"1"}}""", "Expected integer at o.k, but got: \"1\"")]
    [InlineData("""{"o":{"k":1,"x":2}}""", "Expected string at o.x, but got: number")]
    [InlineData("""{"m":{"q":[true,1]}}""", "Expected boolean at m.q[1], but got: number")]
    [InlineData("""{"m":{"k":"x"}}""", "Expected array at m.k, but got: string")]
    [InlineData("""{"m":5}""", "Expected map at m, but got: number")]
    [InlineData("""{"a":[{"z":1},{"z":"2"}]}""", "Expected number at a[1].z, but got: \"2\"")]
    [InlineData("""{"a":[{"z":1},[]]}""", "Expected object at a[1], but got: array")]
    [InlineData("""{"a":{"0":1}}""", "Expected array at a, but got: object")]
    [InlineData("""{"u":1}""", "Unknown type \"weird\" at u")]
    [InlineData("""{"d":"2024-01-01T00:00:00Z"}""", "Unknown type \"date-time\" at d")]
    public void TaskValidate_InputsOfEveryKind_SameMessages(string inputs, string? expected)
    {
        var schema = """{"nodes":[{"id":"start_0","type":"start","meta":{"position":{"x":0,"y":0}},"data":{"outputs":{"type":"object","properties":{""" + Properties + """}}}},{"id":"end_0","type":"end","meta":{"position":{"x":1,"y":0}},"data":{}}],"edges":[{"sourceNodeID":"start_0","targetNodeID":"end_0"}]}""";
        using var http = new HttpClient();
        using var api = new FlowGramTaskApi(http);

        var result = api.TaskValidate(schema, JsonNode.Parse(inputs)!.AsObject());

        Assert.Equal(expected is null ? null : new[] { "JSON Schema validation failed: " + expected }, result.Errors);
    }
}
