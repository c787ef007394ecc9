using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Executors;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Tests.Executors;

/// <summary>Inputs resolved from the stored variables must be what resolving them as JS values and storing them gives.</summary>
public sealed class EncodedInputsTests
{
    // Variables as start_0 stores them: "u" is undefined (no "value"), "n" an integer declared as number.
    private static readonly Value Refs = Value.Parse("""
        {"start_0": {"xs": {"type": "array", "items": "integer", "value": [1, 2]}, "o": {"type": "object", "items": null, "value": {"k": {"d": "2024-01-02T03:04:05Z"}}},
                     "u": {"type": "string", "items": null}, "n": {"type": "number", "items": null, "value": 3}},
         "empty_0": {}}
        """);

    [Fact]
    public void TryResolve_ConstantsAndRefs_SameAsResolvingJsValues()
    {
        var node = Node("""
            {"xs": {"type": "ref", "content": ["start_0", "xs"]}, "first": {"type": "ref", "content": ["start_0", "xs", "0"]},
             "d": {"type": "ref", "content": ["start_0", "o", "k", "d"]}, "k": {"type": "ref", "content": ["start_0", "o", "k"]},
             "u": {"type": "ref", "content": ["start_0", "u"]}, "n": {"type": "ref", "content": ["start_0", "n"]},
             "missingVar": {"type": "ref", "content": ["start_0", "nope"]}, "missingNode": {"type": "ref", "content": ["empty_0", "x"]},
             "short": {"type": "ref", "content": ["start_0"]}, "mismatch": {"type": "ref", "content": ["start_0", "xs"]},
             "arr": {"type": "constant", "content": "[1,2]"}, "notJson": {"type": "constant", "content": "{x"}, "nil": {"type": "constant", "content": null},
             "float": {"type": "constant", "content": 1.5}, "undeclared": {"type": "constant", "content": 1}}
            """, """
            {"xs": {"type": "array"}, "first": {"type": "integer"}, "d": {"type": "date-time"}, "k": {"type": "object"}, "u": {"type": "string"},
             "n": {"type": "integer"}, "missingVar": {"type": "string"}, "missingNode": {"type": "string"}, "short": {"type": "string"},
             "mismatch": {"type": "string"}, "arr": {"type": "array"}, "notJson": {"type": "object"}, "nil": {"type": "string"}, "float": {"type": "integer"}}
            """);
        var expected = VariableCodec.ToValue(FlowValues.ParseInputs(node.Inputs, node.InputsValues, VariableCodec.Store(Refs)));

        Assert.True(EncodedInputs.TryResolve(node, Refs, new PairBuffer(2), out var actual));

        Assert.Equal(expected.ToJson(), actual.ToJson());
        Assert.Equal("""{"xs":[1,2],"first":1,"d":"2024-01-02T03:04:05Z","k":{"d":"2024-01-02T03:04:05Z"},"n":3,"arr":[1,2],"notJson":"{x","float":1.5}""", actual.ToJson());
    }

    [Fact]
    public void TryResolve_TemplateOrUnknownType_LeftToJsResolution()
    {
        var template = Node("""{"t": {"type": "template", "content": "{{start_0.n}}"}}""", """{"t": {"type": "string"}}""");
        var unknown = Node("""{"x": {"type": "expression", "content": "1"}, "n": {"type": "ref", "content": ["start_0", "n"]}}""", """{"n": {"type": "number"}}""");
        var buffer = new PairBuffer(2);

        Assert.False(EncodedInputs.TryResolve(template, Refs, buffer, out _));
        Assert.False(EncodedInputs.TryResolve(unknown, Refs, buffer, out _));
        Assert.Equal(0, buffer.Count);
    }

    private static FlowNode Node(string inputsValues, string properties) => FlowDocument.CreateNode(
        Js.Parse("""{"id": "end_0", "type": "end", "data": {"inputsValues": """ + inputsValues + """, "inputs": {"type": "object", "properties": """ + properties + "}}}") as JsObject ?? [],
        null);
}
