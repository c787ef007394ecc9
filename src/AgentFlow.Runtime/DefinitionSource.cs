namespace AgentFlow.Runtime;

/// <summary>The text a definition was loaded from.</summary>
/// <param name="Format">One of <see cref="Core.Persistence.DefinitionFormats"/>.</param>
/// <param name="Text">The source exactly as loaded.</param>
/// <param name="FileName">Where it came from, for diagnostics when it is reloaded; may be null.</param>
public sealed record DefinitionSource(string Format, string Text, string? FileName = null);
