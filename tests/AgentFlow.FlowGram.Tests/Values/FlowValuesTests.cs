using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Tests.Values;

public sealed class FlowValuesTests
{
    private static VariableStore Store()
    {
        var store = new VariableStore();
        store.Set("start_0", "n", new Variable(3d, "number"));
        store.Set("start_0", "obj", new Variable(new JsObject { ["when"] = "2024-01-02T03:04:05.000Z" }, "object"));
        store.Set("start_0", "missing", new Variable(Js.Undefined, "string"));
        return store;
    }

    [Fact]
    public void Render_TemplateWithUnknownAndUndefinedRefs_UsesEmptyAndUndefined()
    {
        Assert.Equal("n=3 x= u=undefined", FlowValues.Render("n={{ start_0.n }} x={{start_0.nope}} u={{start_0.missing}}", Store()));
    }

    [Fact]
    public void ParseInputs_TypeMismatchAndUndeclared_AreDropped()
    {
        var schema = new JsObject { ["properties"] = new JsObject { ["s"] = new JsObject { ["type"] = "string" }, ["d"] = new JsObject { ["type"] = "string" } } };
        var values = new JsObject
        {
            ["s"] = new JsObject { ["type"] = "ref", ["content"] = new List<object?> { "start_0", "n" } },
            ["d"] = new JsObject { ["type"] = "ref", ["content"] = new List<object?> { "start_0", "obj", "when" } },
            ["extra"] = new JsObject { ["type"] = "constant", ["content"] = "x" },
        };

        var inputs = FlowValues.ParseInputs(schema, values, Store());

        Assert.Empty(inputs);
    }

    [Fact]
    public void Resolve_ConstantDeclaredArray_ParsesJsonString()
    {
        var value = FlowValues.Resolve(new JsObject { ["type"] = "constant", ["content"] = "[1,2]" }, "array", Store());

        Assert.Equal("[1,2]", Js.Stringify(value!.Value));
        Assert.Equal("array", value.Type);
    }

    [Fact]
    public void Resolve_Expression_ThrowsReferenceMessage()
    {
        var ex = Assert.Throws<FlowGramException>(() => FlowValues.Resolve(new JsObject { ["type"] = "expression", ["content"] = "1+1" }, "number", Store()));

        Assert.Equal("Unknown flow value type: expression", ex.Message);
    }
}
