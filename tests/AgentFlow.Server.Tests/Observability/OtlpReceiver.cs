using System.Collections.Concurrent;
using AgentFlow.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentFlow.Server.Tests.Observability;

/// <summary>An OTLP/HTTP collector on loopback that keeps the spans of every <c>POST /v1/traces</c> it receives.</summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<OtlpSpan> _spans = new();
    private LoopbackHttpServer _server = null!;

    private OtlpReceiver()
    {
    }

    public Uri BaseAddress => _server.BaseAddress;

    public IReadOnlyCollection<OtlpSpan> Spans => _spans;

    public ConcurrentQueue<string> Paths { get; } = new();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        receiver._server = await LoopbackHttpServer.StartRawAsync(receiver.ReceiveAsync);
        return receiver;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        Paths.Enqueue(context.Request.Path);
        foreach (var span in OtlpSpan.Decode(body.ToArray()))
        {
            _spans.Enqueue(span);
        }

        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
