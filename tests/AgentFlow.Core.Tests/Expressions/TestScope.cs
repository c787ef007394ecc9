using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;
using AgentFlow.Testing;

namespace AgentFlow.Core.Tests.Expressions;

/// <summary>A dictionary-backed scope that records which nodes were asked for.</summary>
internal sealed class TestScope : IExpressionScope
{
    private readonly Dictionary<string, Value> _roots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Value> _nodes = new(StringComparer.Ordinal);

    public TestScope(TimeProvider? time = null) => Time = time ?? new FakeTimeProvider();

    public TimeProvider Time { get; }

    public List<string> NodeRequests { get; } = [];

    public TestScope WithRoot(string name, Value value)
    {
        _roots[name] = value;
        return this;
    }

    public TestScope WithNode(string id, Value output, string status = "succeeded")
    {
        _nodes[id] = Value.Object(("output", output), ("status", status), ("error", Value.Null), ("attempts", 1));
        return this;
    }

    public bool TryGetRoot(string name, out Value value) => _roots.TryGetValue(name, out value);

    public bool TryGetNode(string nodeId, out Value node)
    {
        NodeRequests.Add(nodeId);
        return _nodes.TryGetValue(nodeId, out node);
    }

    /// <summary>The scope most tests share: a few inputs, vars and two nodes.</summary>
    public static TestScope Standard() => new TestScope()
        .WithRoot("inputs", Value.Parse("""
            {"name": "Ada", "count": 3, "flag": true, "empty": "", "nothing": null,
             "tags": ["a", "b", "c"], "user": {"name": "Grace", "address": {"city": "Arlington"}},
             "a b": 42, "nums": [3, 1, 2]}
            """))
        .WithRoot("vars", Value.Parse("""{"limit": 10, "prefix": "x-"}"""))
        .WithRoot("item", Value.Parse("""{"id": 7}"""))
        .WithRoot("index", 2)
        .WithNode("fetch", Value.Parse("""{"items": [{"name": "first"}, {"name": "second"}], "total": 2}"""))
        .WithNode("fetch-data", "hyphenated");
}
