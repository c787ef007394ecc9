using System.Collections.Immutable;

namespace AgentFlow.Core.Definitions;

/// <summary>How a failing node is retried.</summary>
/// <param name="MaxAttempts">Total attempts including the first (1 means no retry).</param>
/// <param name="Backoff">How the delay grows between attempts.</param>
/// <param name="Delay">The base delay.</param>
/// <param name="Multiplier">Growth factor for exponential backoff.</param>
/// <param name="MaxDelay">Upper bound on a single delay, when set.</param>
/// <param name="Jitter">Fraction (0..1) of the delay randomised either way.</param>
/// <param name="RetryOn">Error codes that are retried (exact, or a prefix ending in <c>*</c>); empty means every retryable error.</param>
public sealed record RetryPolicy(
    int MaxAttempts,
    BackoffKind Backoff,
    TimeSpan Delay,
    double Multiplier,
    TimeSpan? MaxDelay,
    double Jitter,
    ImmutableArray<string> RetryOn)
{
    /// <summary>Single attempt, no retry.</summary>
    public static RetryPolicy None { get; } = new(1, BackoffKind.Fixed, TimeSpan.Zero, 1, null, 0, []);
}
