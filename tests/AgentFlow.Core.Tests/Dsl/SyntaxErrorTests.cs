namespace AgentFlow.Core.Tests.Dsl;

/// <summary>Broken documents become positioned diagnostics, never exceptions.</summary>
public sealed class SyntaxErrorTests
{
    [Fact]
    public void Load_TabIndentation_ReportsYamlErrorWithPosition()
    {
        var result = DslAssert.Load("id: w\nnodes:\n\t- id: a\n");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("AF1001", d.Code);
        Assert.Equal((3, 1), (d.Location.Line, d.Location.Column));
        Assert.Equal("YAML indentation must use spaces, not tabs", d.Hint);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Load_TabInNestedIndentation_PointsAtTheTab()
    {
        var result = DslAssert.Load("id: w\nnodes:\n  - id: a\n  \tkind: noop\n");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("AF1001", 4, 3), (d.Code, d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void Load_UnclosedQuote_ReportsYamlErrorWithPosition()
    {
        var result = DslAssert.Load("id: w\nname: \"unclosed\nnodes: []\n");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("AF1001", d.Code);
        Assert.Equal(2, d.Location.Line);
        Assert.Equal(7, d.Location.Column);
    }

    [Fact]
    public void Load_DuplicateYamlKey_ReportsYamlError()
    {
        var result = DslAssert.Load("id: w\nid: v\nnodes: []\n");

        Assert.Equal("AF1001", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Load_BadJson_ReportsJsonLineAndColumn()
    {
        var result = DslAssert.Load("{\n  \"id\": \"w\",\n  \"nodes\": [ }\n}", "wf.json");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("AF1002", d.Code);
        Assert.Equal((3, 14), (d.Location.Line, d.Location.Column));
        Assert.DoesNotContain("LineNumber", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadJsonAfterNonAsciiText_CountsCharactersNotBytes()
    {
        var result = DslAssert.Load("{ \"name\": \"日本語\", \"id\" \"w\" }", "wf.json");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("AF1002", 1, 23), (d.Code, d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void Load_JsonTrailingComma_IsAJsonError()
    {
        var result = DslAssert.Load("{ \"id\": \"w\", \"nodes\": [], }", "wf.json");

        Assert.Equal("AF1002", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Load_JsonDetectedByFirstCharacter_WithoutExtension()
    {
        var result = DslAssert.Load("  {\"id\": \"w\", \"nodes\": [ }", "stdin");

        Assert.Equal("AF1002", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Load_RealWorldJson_EscapesAndUnicodeSurvive()
    {
        var w = DslAssert.LoadOk(
            "{\r\n\t\"id\": \"w\",\r\n\t\"name\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\t end\",\r\n\t\"description\": \"日本語 ✓\",\r\n\t\"nodes\": [{\"id\": \"a\", \"kind\": \"transform\", \"with\": {\"n\": 1.5e3, \"neg\": -2, \"nul\": null, \"t\": true}}]\r\n}",
            "wf.json");

        Assert.Equal("café 😀 \"q\" \\ / \t end", w.Name);
        Assert.Equal("日本語 ✓", w.Description);
        Assert.Equal("""{"n":1500,"neg":-2,"nul":null,"t":true}""", w.Nodes[0].Parameters.Evaluate(null!).ToJson());
    }

    [Fact]
    public void Load_EmptyDocument_ReportsDiagnostic()
    {
        var result = DslAssert.Load("# nothing\n");

        Assert.Equal("AF1004", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Load_RootIsList_ReportsWrongType()
    {
        var result = DslAssert.Load("- a\n- b\n");

        DslAssert.Has(result, "AF1011", 1, 1);
    }

    [Fact]
    public void Load_QuotedNumber_StaysString()
    {
        var w = DslAssert.LoadOk("""
            id: w
            nodes:
              - { id: a, kind: transform, with: { q: "5", p: 5, b: "true", n: ~ } }
            """);

        Assert.Equal("""{"q":"5","p":5,"b":"true","n":null}""", w.Nodes[0].Parameters.Evaluate(null!).ToJson());
    }

    [Fact]
    public void Load_UnquotedExpressionInFlowMapping_HintsToQuote()
    {
        var result = DslAssert.Load("id: w\nnodes:\n  - id: a\n    with: { x: ${{ inputs.x }} }\n");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("AF1001", 4, 17), (d.Code, d.Location.Line, d.Location.Column));
        Assert.StartsWith("inside { } or [ ], quote values", d.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\uFEFFid: w\nnodes: [ { id: a, kind: noop } ]\n", "wf.yaml")]
    [InlineData("\uFEFF{ \"id\": \"w\", \"nodes\": [ { \"id\": \"a\", \"kind\": \"noop\" } ] }", "wf.json")]
    public void Load_ByteOrderMark_IsIgnored(string text, string file) => Assert.Equal("w", DslAssert.LoadOk(text, file).Id);

    [Fact]
    public void Load_RecursiveAlias_IsDiagnosticNotStackOverflow()
    {
        var result = DslAssert.Load("id: w\nvariables: &v\n  a: *v\nnodes: []\n");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("AF1001", 2, 12), (d.Code, d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void Load_ExponentialAliases_AreRejected()
    {
        var text = new System.Text.StringBuilder("id: w\nnodes: []\nvariables:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 9; i++)
        {
            text.Append($"  l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n");
        }

        var d = Assert.Single(DslAssert.Load(text.ToString()).Diagnostics);
        Assert.Equal("AF1001", d.Code);
        Assert.Contains("more than 1000000 values", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AbsurdNesting_IsDiagnosticNotStackOverflow()
    {
        var depth = 200_000;
        var d = Assert.Single(DslAssert.Load("id: w\nx: " + new string('[', depth) + new string(']', depth) + "\n").Diagnostics);

        Assert.Equal(("AF1001", 2, 203), (d.Code, d.Location.Line, d.Location.Column));
    }
}
