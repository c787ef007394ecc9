using System.Collections.Concurrent;
using AgentFlow.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentFlow.Cli.Tests.Durability;

/// <summary>
/// The outside world of the fault tests: a loopback HTTP service that performs an "effect" once per
/// <c>Idempotency-Key</c> and answers a repeated key with the stored answer, as a well-behaved payment API would.
/// Paths ending in <c>/flaky</c> answer 503 to every first attempt, so retries (and their delays) happen too.
/// </summary>
internal sealed class EffectServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _effects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private int _requestCount;
    private LoopbackHttpServer _server = null!;

    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>Requests received, duplicates included.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>The keys an effect was performed for (a repeated key performs nothing).</summary>
    public IReadOnlyCollection<string> EffectKeys => [.. _effects.Keys];

    /// <summary>Requests per idempotency key.</summary>
    public IReadOnlyDictionary<string, int> Requests => _requests;

    public static async Task<EffectServer> StartAsync()
    {
        var effects = new EffectServer();
        effects._server = await LoopbackHttpServer.StartAsync(effects.HandleAsync);
        return effects;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        Interlocked.Increment(ref _requestCount);
        _requests.AddOrUpdate(key, 1, (_, n) => n + 1);

        // A little latency so kills land while calls are in flight.
        await Task.Yield();
        if (context.Request.Path.Value!.EndsWith("/flaky", StringComparison.Ordinal) && key.EndsWith("/1", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 503;
            return;
        }

        // The effect happens at most once per key, atomically with remembering the key. Two different keys for one
        // node of one execution would be a double effect; the test looks for exactly that.
        _effects.TryAdd(key, 1);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"key":"{{key}}"}""");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
