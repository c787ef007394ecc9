namespace AgentFlow.Nodes.Http;

/// <summary>Limits for the http node.</summary>
public sealed record HttpNodeOptions
{
    /// <summary>Used when a node sets no <c>timeout</c>.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Answers longer than this fail with <c>http.response_too_large</c> (a node may lower it with <c>maxResponseBytes</c>).</summary>
    public long MaxResponseBytes { get; init; } = 10 * 1024 * 1024;
}
