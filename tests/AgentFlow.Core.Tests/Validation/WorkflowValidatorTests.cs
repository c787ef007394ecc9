using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Expressions;
using AgentFlow.Core.Tests.Dsl;
using AgentFlow.Core.Validation;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Validation;

/// <summary>The validator on definitions built in C#, where positions come from each element's Location.</summary>
public sealed class WorkflowValidatorTests
{
    private static readonly SourceLocation FetchAt = new("code.cs", 10, 5, "$.nodes[0]");

    [Fact]
    public void Validate_GoodCodeBuiltDefinition_HasNoDiagnostics()
    {
        var definition = new WorkflowDefinition
        {
            Id = "code",
            Inputs = [new WorkflowInput("url", DataType.String, true, null, [], null, false, SourceLocation.Unknown)],
            Nodes =
            [
                Node("fetch", "http", ValueTemplate.Object([new("url", ValueTemplate.ParseString("${{ inputs.url }}"))])),
                Node("after", "transform", ValueTemplate.ParseString("${{ nodes.fetch.output }}")),
            ],
            Edges = [new EdgeDefinition("fetch", "after", null, null, SourceLocation.Unknown)],
        };

        Assert.Empty(WorkflowValidator.Validate(definition, NodeKindCatalog.BuiltIn));
    }

    [Fact]
    public void Validate_CodeBuiltProblems_UseElementLocations()
    {
        var definition = new WorkflowDefinition
        {
            Id = "code",
            Nodes =
            [
                Node("fetch", "http", ValueTemplate.Constant(Value.Object(("method", 5)))) with { Location = FetchAt },
                Node("b", "trasform", ValueTemplate.ParseString("${{ nodes.fetch.output }}")),
            ],
        };

        var diagnostics = WorkflowValidator.Validate(definition, NodeKindCatalog.BuiltIn);

        var missing = DslAssert.Has(diagnostics, "AF1301");
        Assert.Equal(("code.cs", 10, 5, "$.nodes[0].with"), (missing.Location.File, missing.Location.Line, missing.Location.Column, missing.Location.Path));
        Assert.Equal("$.nodes[0].with.method", DslAssert.Has(diagnostics, "AF1303").Location.Path);
        Assert.Equal("did you mean 'transform'?", DslAssert.Has(diagnostics, "AF1103").Hint);
        Assert.Equal("add 'needs: [fetch]' so it runs first", DslAssert.Has(diagnostics, "AF1205").Hint);
    }

    [Fact]
    public void Validate_CustomKindAddedToCatalog_IsAccepted()
    {
        var catalog = NodeKindCatalog.BuiltIn.With(new NodeKindInfo(
            "llm",
            "Calls a model.",
            Parameters: [new ParameterInfo("prompt", DataType.String, Required: true), new ParameterInfo("temperature", DataType.Number)]));
        var definition = new WorkflowDefinition
        {
            Id = "code",
            Nodes = [Node("ask", "llm", ValueTemplate.Constant(Value.Object(("prompt", "hi"), ("temperature", "hot"))))],
        };

        var diagnostics = WorkflowValidator.Validate(definition, catalog);

        Assert.Equal("AF1303", Assert.Single(diagnostics).Code);
        Assert.False(NodeKindCatalog.BuiltIn.TryGet("llm", out _));
    }

    [Fact]
    public void BuiltIn_ListsEveryKind()
    {
        Assert.Equal(
            ["assign", "break", "chaos", "condition", "continue", "fail", "http", "map", "noop", "sleep", "subworkflow", "switch", "transform", "wait"],
            NodeKindCatalog.BuiltIn.Names);
        Assert.True(NodeKindCatalog.BuiltIn.TryGet("switch", out var kind) && kind.IsControl);
    }

    [Fact]
    public void Validate_MapBodyAndChildren_ValidatedRecursively()
    {
        var body = new WorkflowDefinition { Id = "each", Nodes = [Node("inner", "transform", ValueTemplate.ParseString("${{ item.x + vars.nope }}"))] };
        var child = new WorkflowDefinition { Id = "kid", Nodes = [Node("k", "noop", ValueTemplate.EmptyObject), Node("k", "noop", ValueTemplate.EmptyObject)] };
        var definition = new WorkflowDefinition
        {
            Id = "code",
            Nodes = [Node("each", "map", ValueTemplate.EmptyObject) with { Items = ValueTemplate.Constant(Value.Array(1, 2)), Body = body }],
            Workflows = ImmutableDictionaryOf("kid", child),
        };

        var codes = WorkflowValidator.Validate(definition, NodeKindCatalog.BuiltIn).Select(d => d.Code).Order().ToList();

        Assert.Equal(["AF1102", "AF1203"], codes);
    }

    [Fact]
    public void Diagnostic_ToString_ShowsSeverity()
    {
        var warning = new Diagnostic("AF1107", "m", new SourceLocation("f.yaml", 2, 3), "h", DiagnosticSeverity.Warning);

        Assert.Equal("f.yaml:2:3: warning AF1107: m (hint: h)", warning.ToString());
        Assert.Equal("f.yaml:2:3: error AF1: m", new Diagnostic("AF1", "m", new SourceLocation("f.yaml", 2, 3)).ToString());
    }

    private static NodeDefinition Node(string id, string kind, ValueTemplate parameters) =>
        new() { Id = id, Kind = kind, Parameters = parameters };

    private static System.Collections.Immutable.ImmutableDictionary<string, WorkflowDefinition> ImmutableDictionaryOf(string key, WorkflowDefinition value) =>
        System.Collections.Immutable.ImmutableDictionary<string, WorkflowDefinition>.Empty.Add(key, value);
}
