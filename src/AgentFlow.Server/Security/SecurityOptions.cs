namespace AgentFlow.Server.Security;

/// <summary>Authentication, rate limiting and CORS for the server.</summary>
public sealed record SecurityOptions
{
    /// <summary>
    /// Whether every route that names a scope needs an API key. False is allowed only when every address the server
    /// listens on is loopback (it refuses to start otherwise) and logs a warning at start.
    /// </summary>
    public bool RequireApiKeys { get; init; } = true;

    /// <summary>Requests one key may make in a burst (the token bucket's size); 0 turns rate limiting off.</summary>
    public int RateLimitBurst { get; init; } = 100;

    /// <summary>Tokens added back to each key's bucket every <see cref="RateLimitPeriod"/>.</summary>
    public int RateLimitTokensPerPeriod { get; init; } = 50;

    /// <summary>How often a key's bucket is refilled by <see cref="RateLimitTokensPerPeriod"/>.</summary>
    public TimeSpan RateLimitPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Browser origins allowed to call <c>/api/v1</c> (e.g. <c>https://console.example.com</c>); none by default, so
    /// browsers cannot call the API from other sites. The FlowGram task routes are open to every origin regardless.
    /// </summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Whether <c>/metrics</c> needs a key with the admin scope (it shows every tenant's workflow ids).</summary>
    public bool MetricsRequireApiKey { get; init; } = true;
}
