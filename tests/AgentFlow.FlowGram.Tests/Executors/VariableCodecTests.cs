using System.Text.Json.Nodes;
using System.Text.Json;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Executors;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Tests.Executors;

/// <summary>VariableCodec converts directly; it must give what the JSON text route (JSON.stringify, then parse) gives.</summary>
public sealed class VariableCodecTests
{
    [Fact]
    public void ToValue_JsValues_SameAsJsonTextRoute()
    {
        var nested = new JsObject { ["u"] = Js.Undefined, ["n"] = null, ["z"] = -0d, ["big"] = 1e21 };
        var values = new object?[]
        {
            null, Js.Undefined, "x\u00e9\n\ud83d\ude00", true, false, 0d, -0d, 1.5, 1e300, double.NaN, double.PositiveInfinity,
            new List<object?> { 1d, Js.Undefined, null, double.NaN, "s", new List<object?>(), nested },
            new JsObject { ["b"] = 2d, ["a"] = Js.Undefined, ["c"] = new List<object?> { nested }, ["d"] = new JsObject() },
        };

        foreach (var js in values)
        {
            var expected = Js.ToJson(js) is { } node ? Value.Parse(node.ToJsonString()) : Value.Null;

            var actual = VariableCodec.ToValue(js);

            Assert.Equal(expected.ToJson(), actual.ToJson());
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void FromValue_Values_SameAsJsonTextRoute()
    {
        var values = new[]
        {
            Value.Null, Value.True, Value.From("é\"\\"), Value.From(-0d), Value.From(double.NaN), Value.From(12345678901234567890d),
            Value.Object(("b", 1), ("a", Value.Array(Value.Null, Value.EmptyObject, Value.Array())), ("c", Value.Object(("x", "y")))),
            Value.Array(Value.From(double.PositiveInfinity), "s", false),
        };

        foreach (var value in values)
        {
            var expected = value.IsNull ? null : Js.Parse(value.ToJson());

            var actual = VariableCodec.FromValue(value);

            Assert.Equal(Js.Stringify(expected), Js.Stringify(actual));
            Assert.Equal(Shape(expected), Shape(actual));
        }
    }

    [Fact]
    public void EncodeDeclared_OutputsNilOrGiven_StoredAsDeclaredWithDefaults()
    {
        // Undefined, null and missing outputs take the default (parsed for containers) or stay undefined (no "value");
        // a NaN output is given, and stored as null like any non-finite number.
        var node = FlowDocument.CreateNode(Js.Parse("""
            {"id": "n", "type": "code", "data": {"outputs": {"type": "object", "properties": {
              "given": {"type": "number"}, "nan": {"type": "number"}, "undef": {"type": "string"}, "nul": {"type": "string"},
              "missing": {"type": "string"}, "dflt": {"type": "array", "items": {"type": "integer"}, "default": "[1,2]"},
              "nullDefault": {"type": "string", "default": null}, "badJson": {"type": "object", "default": "{x"}}}}}
            """) as JsObject ?? [], null);
        var outputs = new JsObject { ["given"] = 1.5, ["nan"] = double.NaN, ["undef"] = Js.Undefined, ["nul"] = null, ["extra"] = "x" };

        var encoded = VariableCodec.EncodeDeclared(node, outputs, VariableCodec.ToValue(outputs), new PairBuffer(2));

        Assert.Equal(
            """{"given":{"type":"number","items":null,"value":1.5},"nan":{"type":"number","items":null,"value":null},"undef":{"type":"string","items":null}"""
            + ""","nul":{"type":"string","items":null},"missing":{"type":"string","items":null},"dflt":{"type":"array","items":"integer","value":[1,2]}"""
            + ""","nullDefault":{"type":"string","items":null,"value":null},"badJson":{"type":"object","items":null,"value":"{x"}}""",
            encoded.ToJson());
    }

    [Fact]
    public void EncodeDeclared_StoredOutputs_NullOrMissingTakeTheDefault()
    {
        var node = FlowDocument.CreateNode(Js.Parse("""
            {"id": "start_0", "type": "start", "data": {"outputs": {"type": "object", "properties": {
              "a": {"type": "integer", "default": 1}, "b": {"type": "integer", "default": 2}, "c": {"type": "integer"}}}}}
            """) as JsObject ?? [], null);

        var encoded = VariableCodec.EncodeDeclared(node, null, Value.Parse("""{"a": null, "c": 3}"""), new PairBuffer(2));

        Assert.Equal("""{"a":{"type":"integer","items":null,"value":1},"b":{"type":"integer","items":null,"value":2},"c":{"type":"integer","items":null,"value":3}}""", encoded.ToJson());
    }

    /// <summary>The CLR types of a JS value tree, so a double never passes for a string of the same text.</summary>
    private static string Shape(object? value) => value switch
    {
        JsObject o => "{" + string.Join(",", o.Select(p => p.Key + ":" + Shape(p.Value))) + "}",
        List<object?> list => "[" + string.Join(",", list.Select(Shape)) + "]",
        double d => "d" + BitConverter.DoubleToInt64Bits(d),
        _ => value?.GetType().Name ?? "null",
    };

    [Fact]
    public void FromJson_InputsOfEveryKind_SameAsThroughJsValues()
    {
        // Parsed nodes and nodes made in code (numbers of other CLR types, a JsonElement) alike.
        var parsed = JsonNode.Parse("""{"a":[1,2.5,-0,1e308,"x\u00e9",true,false,null,{},[],{"k":[{"z":null}]}],"b":{},"c":null,"d":"","e":123456789012345678901234567890}""")!;
        var made = new JsonObject
        {
            ["i"] = 3, ["l"] = long.MaxValue, ["f"] = 1.25f, ["m"] = 2.5m, ["s"] = "s", ["b"] = true, ["n"] = null,
            ["arr"] = new JsonArray(1, "two", null, new JsonObject { ["x"] = 1 }),
            ["el"] = JsonValue.Create(JsonDocument.Parse("[1.5]").RootElement[0]),
        };

        foreach (var node in new JsonNode?[] { parsed, made, null, JsonValue.Create(7), JsonNode.Parse("[]"), JsonNode.Parse("{}") })
        {
            var expected = VariableCodec.ToValue(Js.FromJson(node));

            var actual = VariableCodec.FromJson(node);

            Assert.Equal(expected.ToJson(), actual.ToJson());
            Assert.Equal(expected, actual);
        }
    }
}
