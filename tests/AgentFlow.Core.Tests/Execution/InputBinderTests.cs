using AgentFlow.Core.Building;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Execution;

public sealed class InputBinderTests
{
    private static readonly WorkflowDefinition Definition = new WorkflowBuilder("w")
        .Input("name", DataType.String)
        .Input("count", DataType.Integer, required: false)
        .Input("ratio", DataType.Number, defaultValue: 0.5)
        .Input("mode", DataType.String, required: false, allowed: ["fast", "slow"])
        .Input("tags", DataType.Array, required: false)
        .Build();

    [Fact]
    public void Bind_ValidInputs_AppliesDefaultsInDeclarationOrder()
    {
        var (inputs, errors) = InputBinder.Bind(Definition, Value.Object(("count", 3), ("name", "x")));

        Assert.Empty(errors);
        Assert.Equal(["name", "count", "ratio"], inputs.AsObject().Keys);
        Assert.Equal(0.5, inputs["ratio"].AsNumber());
    }

    [Fact]
    public void Bind_MissingRequired_ReportsNameAndType()
    {
        var (_, errors) = InputBinder.Bind(Definition, Value.Null);

        var error = Assert.Single(errors);
        Assert.Equal("Input 'name' is required (string) but was not provided.", error.Message);
    }

    [Fact]
    public void Bind_FractionForInteger_Rejected()
    {
        var (_, errors) = InputBinder.Bind(Definition, Value.Object(("name", "x"), ("count", 2.5)));

        Assert.Equal("Input 'count' must be an integer (a whole number) but was the number 2.5.", Assert.Single(errors).Message);
    }

    [Fact]
    public void Bind_WrongType_NamesExpectedType()
    {
        var (_, errors) = InputBinder.Bind(Definition, Value.Object(("name", 5), ("tags", "a")));

        Assert.Equal(
            ["Input 'name' must be a string but was the number 5.", "Input 'tags' must be an array but was the string \"a\"."],
            errors.Select(e => e.Message));
    }

    [Fact]
    public void Bind_ValueOutsideEnum_ListsAllowedValues()
    {
        var (_, errors) = InputBinder.Bind(Definition, Value.Object(("name", "x"), ("mode", "medium")));

        Assert.Equal("Input 'mode' must be one of 'fast', 'slow' but was the string \"medium\".", Assert.Single(errors).Message);
    }

    [Fact]
    public void Bind_UnknownInput_ReportedWithDeclaredNames()
    {
        var (_, errors) = InputBinder.Bind(Definition, Value.Object(("name", "x"), ("nmae", "y")));

        var error = Assert.Single(errors);
        Assert.Equal("Unknown input 'nmae'.", error.Message);
        Assert.Contains("name, count, ratio, mode, tags", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_NotAnObject_Rejected() =>
        Assert.Equal("Inputs must be an object but were array.", Assert.Single(InputBinder.Bind(Definition, Value.EmptyArray).Errors).Message);

    [Fact]
    public void Bind_UndeclaredInputsAllowed_KeptAsGiven()
    {
        var open = Definition with { AllowUndeclaredInputs = true };

        var (inputs, errors) = InputBinder.Bind(open, Value.Object(("name", "x"), ("extra", Value.Object(("a", 1)))));

        Assert.Empty(errors);
        Assert.Equal(Value.Object(("a", 1)), inputs["extra"]);
    }

    [Fact]
    public void Bind_UndeclaredInputsNotAllowed_Rejected()
    {
        var (_, errors) = InputBinder.Bind(Definition, Value.Object(("name", "x"), ("extra", 1)));

        Assert.Equal("Unknown input 'extra'.", Assert.Single(errors).Message);
    }
}
