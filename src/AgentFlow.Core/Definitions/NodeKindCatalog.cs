using System.Collections.Immutable;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Definitions;

/// <summary>The node kinds a loader accepts, with their parameter schemas. Immutable; extend with <see cref="With"/>.</summary>
public sealed class NodeKindCatalog
{
    private readonly ImmutableSortedDictionary<string, NodeKindInfo> _kinds;

    private NodeKindCatalog(ImmutableSortedDictionary<string, NodeKindInfo> kinds) => _kinds = kinds;

    /// <summary>An empty catalog.</summary>
    public static NodeKindCatalog Empty { get; } = new(ImmutableSortedDictionary.Create<string, NodeKindInfo>(StringComparer.Ordinal));

    /// <summary>The kinds built into the engine.</summary>
    public static NodeKindCatalog BuiltIn { get; } = CreateBuiltIn();

    /// <summary>Every kind, ordered by name.</summary>
    public IEnumerable<NodeKindInfo> Kinds => _kinds.Values;

    /// <summary>Every kind name, ordered.</summary>
    public IEnumerable<string> Names => _kinds.Keys;

    /// <summary>A catalog with <paramref name="kind"/> added, or replacing a kind of the same name.</summary>
    public NodeKindCatalog With(NodeKindInfo kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return new(_kinds.SetItem(kind.Name, kind));
    }

    /// <summary>Looks a kind up by name.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NodeKindInfo? kind) =>
        _kinds.TryGetValue(name, out kind);

    private static NodeKindCatalog CreateBuiltIn()
    {
        var duration = new ParameterInfo("duration", DataType.Any, Description: "How long to wait.", IsDuration: true);
        Value[] methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
        ImmutableArray<NodeKindInfo> kinds =
        [
            new("noop", "Does nothing; useful as a join point."),
            new("transform", "Its with: value (any shape) becomes the output.", Mode: ParameterMode.AnyValue),
            new("assign", "Sets workflow variables: with: is an object of variable name to value.", Mode: ParameterMode.Variables),
            new("condition", "Chooses branch true or false by its if: expression.", IsControl: true, NodeKeys: ["if"]),
            new("switch", "Chooses the first case whose when: is truthy, else the default branch.", IsControl: true, NodeKeys: ["cases", "default"]),
            new("map", "Runs body: once per element of items:.", IsControl: true, NodeKeys: ["items", "concurrency", "body"]),
            new("subworkflow", "Runs a child workflow (workflow: id or inline body:) with with: as its inputs.", IsControl: true, Mode: ParameterMode.ChildInputs, NodeKeys: ["workflow", "body"]),
            new(
                "sleep",
                "Waits for a duration or until an instant.",
                Parameters: [duration, new("until", DataType.String, Description: "An ISO-8601 instant to wait for.")],
                RequiredOneOf: [["duration", "until"]]),
            new(
                "wait",
                "Waits for the named signal and outputs its payload; fails with code timeout when timeout passes first.",
                Parameters:
                [
                    new("signal", DataType.String, Required: true, Description: "The name of the signal to wait for."),
                    new("timeout", DataType.Any, Description: "How long to wait before failing with code timeout.", IsDuration: true),
                ]),
            new(
                "fail",
                "Fails the workflow with an error code and message.",
                Parameters: [new("error", DataType.String, Required: true, Description: "The error code."), new("message", DataType.String, Description: "A human-readable message.")]),
            new(
                "http",
                "Sends an HTTP request.",
                Parameters:
                [
                    new("method", DataType.String, AllowedValues: [.. methods], Default: "GET", Description: "The HTTP method."),
                    new("url", DataType.String, Required: true, Description: "The absolute URL."),
                    new("headers", DataType.Object, Description: "Request headers."),
                    new("query", DataType.Object, Description: "Query string parameters."),
                    new("json", DataType.Any, Description: "A body sent as JSON."),
                    new("body", DataType.String, Description: "A raw body."),
                    new("contentType", DataType.String, Default: "text/plain", Description: "The content type of a raw body."),
                    new("maxResponseBytes", DataType.Integer, Description: "Fail when the answer is longer than this."),
                    new("timeout", DataType.Any, Description: "Per-request timeout.", IsDuration: true),
                    new("failOnStatus", DataType.Boolean, Default: true, Description: "Fail on a non-2xx status."),
                    new("idempotencyKey", DataType.String, Description: "Sent as Idempotency-Key."),
                ]),
            new("break", "Leaves the enclosing map early.", IsControl: true),
            new("continue", "Ends the current map iteration.", IsControl: true),
            new(
                "chaos",
                "Injects latency and failures on purpose: the first failAttempts attempts fail with error, later ones return output.",
                Parameters:
                [
                    new("failAttempts", DataType.Integer, Default: 0, Description: "How many attempts fail before one succeeds."),
                    new("error", DataType.String, Default: "chaos.injected", Description: "The error code of the injected failures."),
                    new("message", DataType.String, Description: "The error message of the injected failures."),
                    new("retryable", DataType.Boolean, Default: true, Description: "Whether the injected failures may be retried."),
                    new("latency", DataType.Any, Description: "How long each attempt takes.", IsDuration: true),
                    new("output", DataType.Any, Description: "The output of a successful attempt."),
                ]),
        ];
        var catalog = Empty;
        foreach (var kind in kinds)
        {
            catalog = catalog.With(kind);
        }

        return catalog;
    }
}
