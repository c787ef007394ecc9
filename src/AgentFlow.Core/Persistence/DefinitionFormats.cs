namespace AgentFlow.Core.Persistence;

/// <summary>The source formats a stored definition may have.</summary>
public static class DefinitionFormats
{
    /// <summary>Our YAML DSL.</summary>
    public const string Yaml = "yaml";

    /// <summary>Our DSL written as JSON.</summary>
    public const string Json = "json";

    /// <summary>A FlowGram.ai workflow schema.</summary>
    public const string FlowGram = "flowgram";

    /// <summary>Whether <paramref name="format"/> is one of the known formats (case-sensitive: they are persisted).</summary>
    public static bool IsKnown(string? format) => format is Yaml or Json or FlowGram;
}
