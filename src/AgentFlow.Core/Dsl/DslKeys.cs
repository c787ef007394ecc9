namespace AgentFlow.Core.Dsl;

/// <summary>The keys each part of the DSL accepts (see docs/dsl.md).</summary>
internal static class DslKeys
{
    public static readonly IReadOnlyCollection<string> Workflow =
        ["id", "name", "version", "description", "timeout", "inputs", "variables", "nodes", "edges", "outputs", "workflows"];

    public static readonly IReadOnlyCollection<string> MapBody = ["nodes", "edges", "outputs"];

    public static readonly IReadOnlyCollection<string> Input = ["type", "required", "default", "enum", "description", "secret"];

    public static readonly IReadOnlyCollection<string> Edge = ["from", "to", "branch", "when"];

    public static readonly IReadOnlyCollection<string> Case = ["name", "when"];

    public static readonly IReadOnlyCollection<string> Retry = ["maxAttempts", "backoff", "delay", "multiplier", "maxDelay", "jitter", "retryOn"];

    public static readonly IReadOnlyCollection<string> CommonNode =
        ["id", "kind", "name", "description", "needs", "with", "retry", "timeout", "onError", "fallback", "join"];

    public static readonly IReadOnlyCollection<string> ControlNode = ["if", "cases", "default", "items", "concurrency", "body", "workflow"];

    public static readonly IReadOnlyCollection<string> AllNode = [.. CommonNode, .. ControlNode];
}
