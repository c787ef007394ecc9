namespace AgentFlow.Core.Definitions;

/// <summary>How the delay between retry attempts grows.</summary>
public enum BackoffKind
{
    /// <summary>The same delay every time.</summary>
    Fixed = 0,

    /// <summary>delay × attempt.</summary>
    Linear,

    /// <summary>delay × multiplier^(attempt-1).</summary>
    Exponential,
}
