using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;

namespace AgentFlow.Core.Execution;

/// <summary>Retry matching and backoff arithmetic. Jitter comes from a stable hash so the decider stays pure.</summary>
internal static class RetryBackoff
{
    /// <summary>Whether an error is eligible for retry under a policy (exact codes or <c>prefix.*</c>; empty = any retryable error).</summary>
    public static bool Matches(RetryPolicy policy, ErrorInfo error)
    {
        if (policy.RetryOn.IsDefaultOrEmpty)
        {
            return error.Retryable;
        }

        foreach (var pattern in policy.RetryOn)
        {
            if (pattern.EndsWith('*')
                ? error.Code.StartsWith(pattern[..^1], StringComparison.Ordinal)
                : string.Equals(pattern, error.Code, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The delay before attempt <paramref name="failedAttempt"/> + 1.</summary>
    public static TimeSpan Delay(RetryPolicy policy, int failedAttempt, string executionId, string nodeId)
    {
        var baseTicks = (double)policy.Delay.Ticks;
        var ticks = policy.Backoff switch
        {
            BackoffKind.Linear => baseTicks * failedAttempt,
            BackoffKind.Exponential => baseTicks * Math.Pow(policy.Multiplier <= 0 ? 2 : policy.Multiplier, failedAttempt - 1),
            _ => baseTicks,
        };

        if (policy.Jitter > 0)
        {
            var unit = StableUnit(executionId, nodeId, failedAttempt);
            ticks *= 1 + (Math.Clamp(policy.Jitter, 0, 1) * ((2 * unit) - 1));
        }

        if (policy.MaxDelay is { } max && ticks > max.Ticks)
        {
            ticks = max.Ticks;
        }

        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)Math.Max(0, ticks));
    }

    /// <summary>A number in [0, 1) derived from FNV-1a of the inputs (string.GetHashCode is randomised per process).</summary>
    internal static double StableUnit(string executionId, string nodeId, int attempt)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in executionId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ '/') * 1099511628211UL;
        foreach (var c in nodeId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ (ulong)attempt) * 1099511628211UL;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }
}
