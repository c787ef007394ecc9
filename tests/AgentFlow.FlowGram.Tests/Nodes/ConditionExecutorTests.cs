using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Nodes;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Tests.Nodes;

/// <summary>
/// A condition node's items are parsed once per node, its variables read per run from the stored refs: each run must
/// still decide from its own variables, and a malformed item must fail every run as js-core's check-all-first does.
/// </summary>
public sealed class ConditionExecutorTests
{
    private static readonly FlowNode Node = Condition("""
        [{"key": "past", "value": {"left": {"type": "ref", "content": ["start_0", "o", "k", "d"]}, "operator": "gt", "right": {"type": "constant", "content": "2030-01-01T00:00:00Z"}}},
         {"key": "same", "value": {"left": {"type": "ref", "content": ["start_0", "s"]}, "operator": "eq", "right": {"type": "template", "content": "{{start_0.n}}"}}},
         {"key": "listed", "value": {"left": {"type": "ref", "content": ["start_0", "n"]}, "operator": "in", "right": {"type": "constant", "content": "[1, 3]"}}},
         {"key": "equal", "value": {"left": {"type": "ref", "content": ["start_0", "n"]}, "operator": "eq", "right": {"type": "ref", "content": ["start_0", "m"]}}}]
        """);

    [Theory]
    [InlineData("2031-05-01T00:00:00Z", "3", 3, "7", "past")]
    [InlineData("2024-01-02T03:04:05Z", "3", 3, "7", "same")]
    [InlineData("2024-01-02T03:04:05Z", "x", 3, "7", "listed")]
    [InlineData("2024-01-02T03:04:05Z", "x", 7, "7", "equal")]
    [InlineData("2024-01-02T03:04:05Z", "x", 7, null, "else")]
    public void Branch_PathTemplateConstantArrayAndRefSides_FirstMatchOfThisRunsVariables(string date, string s, int n, string? m, string expected)
    {
        var condition = new ConditionExecutor();

        // Twice over the same plan with another run in between: nothing of one run's variables stays in the plan.
        var first = condition.Branch(Node, Refs(date, s, n, m));
        var other = condition.Branch(Node, Refs("2031-05-01T00:00:00Z", "3", 3, "7"));
        var again = condition.Branch(Node, Refs(date, s, n, m));

        Assert.Equal(expected, first);
        Assert.Equal("past", other);
        Assert.Equal(expected, again);
    }

    [Fact]
    public void Branch_MissingLeftAndUndefinedRightRef_NullEqualsMatches()
    {
        // A missing left variable has type null; start_0.m stored without a value is undefined, typed null: eq holds.
        var node = Condition("""
            [{"key": "both", "value": {"left": {"type": "ref", "content": ["start_0", "missing"]}, "operator": "eq", "right": {"type": "ref", "content": ["start_0", "m"]}}}]
            """);
        var refs = Value.Parse("""{"start_0": {"m": {"type": "null", "items": null}}}""");

        Assert.Equal("both", new ConditionExecutor().Branch(node, refs));
    }

    [Theory]
    [InlineData("""{"type": "constant", "content": 1}""", """{"type": "constant", "content": 1}""", "Invalid ref value: [object Object]")]
    [InlineData("""{"type": "ref", "content": ["start_0", "n"]}""", """{"type": "expression", "content": 1}""", "Unknown flow value type: expression")]
    [InlineData("""{"type": "ref", "content": ["start_0", "n"]}""", """{"content": 1}""", "Invalid flow value type: undefined")]
    public void Branch_MalformedLaterItem_FailsEvenWhenAnEarlierItemMatches(string left, string right, string message)
    {
        var node = Condition(
            """[{"key": "yes", "value": {"left": {"type": "ref", "content": ["start_0", "n"]}, "operator": "is_not_empty"}}, {"key": "bad", "value": {"left": """
            + left + """, "operator": "eq", "right": """ + right + "}}]");
        var condition = new ConditionExecutor();

        var error = Assert.Throws<FlowGramException>(() => condition.Branch(node, Refs("2024-01-02T03:04:05Z", "x", 3, "3")));
        var again = Assert.Throws<FlowGramException>(() => condition.Branch(node, Refs("2024-01-02T03:04:05Z", "x", 3, "3")));

        Assert.Equal(message, error.Message);
        Assert.Equal(message, again.Message);
    }

    [Fact]
    public void Branch_UnsupportedOperatorAfterAMatch_NotReached()
    {
        // Operator checks depend on the run's left type, so they happen in item order and stop at the first match.
        var node = Condition("""
            [{"key": "yes", "value": {"left": {"type": "ref", "content": ["start_0", "n"]}, "operator": "gte", "right": {"type": "constant", "content": 0}}},
             {"key": "bad", "value": {"left": {"type": "ref", "content": ["start_0", "s"]}, "operator": "gt", "right": {"type": "constant", "content": "a"}}}]
            """);
        var condition = new ConditionExecutor();

        Assert.Equal("yes", condition.Branch(node, Refs("2024-01-02T03:04:05Z", "x", 3, "3")));
        var error = Assert.Throws<FlowGramException>(() => condition.Branch(node, Refs("2024-01-02T03:04:05Z", "x", -1, "3")));
        Assert.Equal("Condition left type \"string\" has no operator \"gt\"", error.Message);
    }

    private static Value Refs(string date, string s, int n, string? m)
    {
        var stored = m is null ? """{"type": "integer", "items": null}""" : """{"type": "integer", "items": null, "value": """ + m + "}";
        return Value.Parse(
            """{"start_0": {"o": {"type": "object", "items": null, "value": {"k": {"d": """ + '"' + date + '"'
            + """}}}, "s": {"type": "string", "items": null, "value": """ + '"' + s + '"'
            + """}, "n": {"type": "integer", "items": null, "value": """ + n.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + """}, "m": """ + stored + "}}");
    }

    private static FlowNode Condition(string conditions) => FlowDocument.CreateNode(
        Js.Parse("""{"id": "condition_0", "type": "condition", "data": {"conditions": """ + conditions + "}}") as JsObject ?? [],
        null);
}
