using System.Collections.Immutable;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Building;

/// <summary>
/// The C# front door: a small fluent builder producing the same immutable <see cref="WorkflowDefinition"/> as the DSL.
/// Strings in parameters and outputs may contain <c>${{ }}</c> expressions.
/// </summary>
/// <example><code>
/// var definition = new WorkflowBuilder("greet")
///     .Input("name", DataType.String)
///     .Node("a", "noop")
///     .Node("b", "transform", with: Value.Object(("text", "hi ${{ inputs.name }}")), needs: ["a"])
///     .Output("text", "${{ nodes.b.output.text }}")
///     .Build();
/// </code></example>
public sealed class WorkflowBuilder
{
    private readonly string _id;
    private readonly List<WorkflowInput> _inputs = [];
    private readonly List<VariableDefinition> _variables = [];
    private readonly List<NodeDefinition> _nodes = [];
    private readonly List<EdgeDefinition> _edges = [];
    private readonly List<WorkflowOutput> _outputs = [];
    private readonly Dictionary<string, WorkflowDefinition> _workflows = new(StringComparer.Ordinal);
    private TimeSpan? _timeout;
    private int _version = 1;

    /// <summary>Starts a definition with this id.</summary>
    public WorkflowBuilder(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        _id = id;
    }

    /// <summary>Declares an input; an input with a default is never required.</summary>
    public WorkflowBuilder Input(string name, DataType type, bool required = true, Value? defaultValue = null, IEnumerable<Value>? allowed = null, bool secret = false)
    {
        _inputs.Add(new WorkflowInput(name, type, required && defaultValue is null, defaultValue, allowed?.ToImmutableArray() ?? [], null, secret, SourceLocation.Unknown));
        return this;
    }

    /// <summary>Declares a variable with its initial value.</summary>
    public WorkflowBuilder Variable(string name, Value initial)
    {
        _variables.Add(new VariableDefinition(name, initial, SourceLocation.Unknown));
        return this;
    }

    /// <summary>
    /// Adds a node; <paramref name="needs"/> adds an edge from each listed node (<c>node</c>, or <c>node.branch</c> for a
    /// branch of a condition or switch, as in the DSL); <paramref name="configure"/> sets anything else.
    /// </summary>
    public WorkflowBuilder Node(string id, string kind, Value? with = null, IEnumerable<string>? needs = null, Func<NodeDefinition, NodeDefinition>? configure = null)
    {
        var node = new NodeDefinition { Id = id, Kind = kind };
        if (with is { } parameters)
        {
            node = node with { Parameters = Template(parameters, $"node '{id}' parameters") };
        }

        if (configure is not null)
        {
            node = configure(node);
        }

        _nodes.Add(node);
        foreach (var need in needs ?? [])
        {
            var dot = need.IndexOf('.', StringComparison.Ordinal);
            _ = dot < 0 ? Edge(need, id) : Edge(need[..dot], id, branch: need[(dot + 1)..]);
        }

        return this;
    }

    /// <summary>Adds a condition node: the first branch whose expression is truthy is chosen; a null expression is the default.</summary>
    public WorkflowBuilder Condition(string id, IEnumerable<string>? needs, params (string Name, string? When)[] branches)
    {
        var compiled = branches.Select(b => new BranchDefinition(b.Name, b.When is null ? null : Parse(b.When, $"branch '{b.Name}' of '{id}'"), SourceLocation.Unknown)).ToImmutableArray();
        return Node(id, "condition", needs: needs, configure: n => n with { Branches = compiled });
    }

    /// <summary>Adds a map node running <paramref name="body"/> per item of <paramref name="items"/> (a template such as <c>${{ inputs.list }}</c>).</summary>
    public WorkflowBuilder Map(string id, string items, WorkflowDefinition body, int concurrency = 1, IEnumerable<string>? needs = null, Func<NodeDefinition, NodeDefinition>? configure = null) =>
        Node(id, "map", needs: needs, configure: n =>
        {
            var map = n with { Items = Template(items, $"items of '{id}'"), Body = body, Concurrency = concurrency };
            return configure is null ? map : configure(map);
        });

    /// <summary>Adds a sub-workflow node running a workflow registered with <see cref="Workflow"/>; <paramref name="with"/> become its inputs.</summary>
    public WorkflowBuilder Subworkflow(string id, string workflowRef, Value? with = null, IEnumerable<string>? needs = null) =>
        Node(id, "subworkflow", with, needs, n => n with { WorkflowRef = workflowRef });

    /// <summary>Adds a sub-workflow node running an inline child definition; <paramref name="with"/> become its inputs.</summary>
    public WorkflowBuilder Subworkflow(string id, WorkflowDefinition body, Value? with = null, IEnumerable<string>? needs = null) =>
        Node(id, "subworkflow", with, needs, n => n with { Body = body });

    /// <summary>Adds an edge; <paramref name="branch"/> ties it to a condition's branch, <paramref name="when"/> is an expression.</summary>
    public WorkflowBuilder Edge(string from, string to, string? branch = null, string? when = null)
    {
        _edges.Add(new EdgeDefinition(from, to, branch, when is null ? null : Parse(when, $"edge {from} -> {to}"), SourceLocation.Unknown));
        return this;
    }

    /// <summary>Declares an output computed when the workflow completes.</summary>
    public WorkflowBuilder Output(string name, Value value)
    {
        _outputs.Add(new WorkflowOutput(name, Template(value, $"output '{name}'"), SourceLocation.Unknown));
        return this;
    }

    /// <summary>Registers a child workflow for sub-workflow nodes (<see cref="NodeDefinition.WorkflowRef"/>).</summary>
    public WorkflowBuilder Workflow(WorkflowDefinition child)
    {
        ArgumentNullException.ThrowIfNull(child);
        _workflows[child.Id] = child;
        return this;
    }

    /// <summary>Limits the whole execution.</summary>
    public WorkflowBuilder Timeout(TimeSpan timeout)
    {
        _timeout = timeout;
        return this;
    }

    /// <summary>Sets the definition version recorded in each execution.</summary>
    public WorkflowBuilder Version(int version)
    {
        _version = version;
        return this;
    }

    /// <summary>Creates the immutable definition.</summary>
    public WorkflowDefinition Build() => new()
    {
        Id = _id,
        Version = _version,
        Inputs = [.. _inputs],
        Variables = [.. _variables],
        Nodes = [.. _nodes],
        Edges = [.. _edges],
        Outputs = [.. _outputs],
        Timeout = _timeout,
        Workflows = _workflows.ToImmutableDictionary(StringComparer.Ordinal),
    };

    /// <summary>Turns a value whose strings may hold <c>${{ }}</c> into a template.</summary>
    /// <exception cref="DefinitionException">An embedded expression does not parse.</exception>
    public static ValueTemplate Template(Value value, string what = "value")
    {
        switch (value.Kind)
        {
            case ValueKind.String:
                if (!ValueTemplate.TryParseString(value.AsString(), out var template, out var error))
                {
                    throw Invalid(what, value.AsString(), error);
                }

                return template!;
            case ValueKind.Object:
                return ValueTemplate.Object([.. value.AsObject().Select(p => new KeyValuePair<string, ValueTemplate>(p.Key, Template(p.Value, what)))]);
            case ValueKind.Array:
                return ValueTemplate.Array([.. value.AsArray().Select(v => Template(v, what))]);
            default:
                return ValueTemplate.Constant(value);
        }
    }

    /// <summary>Parses a bare expression, accepting an optional <c>${{ }}</c> wrapper.</summary>
    /// <exception cref="DefinitionException">The expression does not parse.</exception>
    public static Expression Parse(string text, string what = "expression")
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith("${{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal))
        {
            trimmed = trimmed[3..^2].Trim();
        }

        return Expression.TryParse(trimmed, out var expression, out var error) ? expression! : throw Invalid(what, text, error);
    }

    private static DefinitionException Invalid(string what, string text, ExpressionError? error) =>
        new([new Diagnostic("AF0300", $"Invalid expression in {what} '{text}': {error?.Message}", SourceLocation.Unknown, error?.Hint)]);
}
