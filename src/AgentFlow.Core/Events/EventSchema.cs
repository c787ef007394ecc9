namespace AgentFlow.Core.Events;

/// <summary>The version of the persisted event shape.</summary>
public static class EventSchema
{
    /// <summary>
    /// Bumped whenever a persisted field is renamed, removed or changes meaning; readers of older
    /// logs must keep loading them (golden files guard this).
    /// </summary>
    public const int Version = 1;
}
