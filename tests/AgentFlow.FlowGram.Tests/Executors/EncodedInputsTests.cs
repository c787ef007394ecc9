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

        Assert.True(EncodedInputs.TryResolve(EncodedInputs.Plan.Of(node), Refs, new PairBuffer(2), out var actual));

        Assert.Equal(expected.ToJson(), actual.ToJson());
        Assert.Equal("""{"xs":[1,2],"first":1,"d":"2024-01-02T03:04:05Z","k":{"d":"2024-01-02T03:04:05Z"},"n":3,"arr":[1,2],"notJson":"{x","float":1.5}""", actual.ToJson());
    }

    [Fact]
    public void TryResolve_TemplateOrUnknownType_LeftToJsResolution()
    {
        var template = Node("""{"t": {"type": "template", "content": "{{start_0.n}}"}}""", """{"t": {"type": "string"}}""");
        var unknown = Node("""{"x": {"type": "expression", "content": "1"}, "n": {"type": "ref", "content": ["start_0", "n"]}}""", """{"n": {"type": "number"}}""");
        var buffer = new PairBuffer(2);

        Assert.False(EncodedInputs.TryResolve(EncodedInputs.Plan.Of(template), Refs, buffer, out _));
        Assert.False(EncodedInputs.TryResolve(EncodedInputs.Plan.Of(unknown), Refs, buffer, out _));
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void TryResolve_OnePlanOverOtherVariables_SameAsResolvingJsValuesEachTime()
    {
        // The plan keeps the node's constants and reference paths, never a variable: each refs gives its own inputs.
        var node = Node("""
            {"n": {"type": "ref", "content": ["start_0", "n"]}, "xs": {"type": "ref", "content": ["start_0", "xs", "0"]},
             "c": {"type": "constant", "content": "[3]"}, "o": {"type": "constant", "content": {"k": 1}}}
            """, """{"n": {"type": "number"}, "xs": {"type": "integer"}, "c": {"type": "array"}, "o": {"type": "object"}}""");
        var plan = EncodedInputs.Plan.Of(node);
        var buffer = new PairBuffer(2);
        var variants = new[]
        {
            Refs,
            Value.Parse("""{"start_0": {"n": {"type": "string", "items": null, "value": "x"}, "xs": {"type": "array", "items": "string", "value": ["a"]}}}"""),
            Value.Parse("""{"start_0": {"n": {"type": "integer", "items": null, "value": 7}, "xs": {"type": "array", "items": "integer", "value": [9]}}}"""),
            Value.Parse("""{"other": {}}"""),
        };

        foreach (var refs in variants.Concat(variants))
        {
            var expected = VariableCodec.ToValue(FlowValues.ParseInputs(node.Inputs, node.InputsValues, VariableCodec.Store(refs)));

            Assert.True(EncodedInputs.TryResolve(plan, refs, buffer, out var actual));

            Assert.Equal(expected.ToJson(), actual.ToJson());
        }
    }

    private static FlowNode Node(string inputsValues, string properties) => FlowDocument.CreateNode(
        Js.Parse("""{"id": "end_0", "type": "end", "data": {"inputsValues": """ + inputsValues + """, "inputs": {"type": "object", "properties": """ + properties + "}}}") as JsObject ?? [],
        null);
}
