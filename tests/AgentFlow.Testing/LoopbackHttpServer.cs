using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFlow.Testing;

/// <summary>A real Kestrel server on 127.0.0.1 with a free port, for tests that need an HTTP peer.</summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private LoopbackHttpServer(WebApplication app) => _app = app;

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    /// <summary>Starts a server whose every request is recorded and then answered by <paramref name="handler"/>.</summary>
    public static Task<LoopbackHttpServer> StartAsync(Func<HttpContext, Task> handler, CancellationToken cancellationToken = default) =>
        StartCoreAsync(
            server => async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync(context.RequestAborted);
                server._requests.Enqueue(new RecordedRequest(
                    context.Request.Method,
                    context.Request.Path + context.Request.QueryString,
                    context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                    body));
                context.Items[RecordedBodyKey] = body;
                await handler(context);
            },
            cancellationToken);

    /// <summary>
    /// Starts a server that hands every request to <paramref name="handler"/> untouched and records nothing, for
    /// binary bodies (e.g. protobuf) that recording as text would spoil.
    /// </summary>
    public static Task<LoopbackHttpServer> StartRawAsync(Func<HttpContext, Task> handler, CancellationToken cancellationToken = default) =>
        StartCoreAsync(_ => context => handler(context), cancellationToken);

    private static async Task<LoopbackHttpServer> StartCoreAsync(Func<LoopbackHttpServer, RequestDelegate> handling, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackHttpServer(app);
        app.Run(handling(server));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    /// <summary>The key under which the recorded request body is kept in <see cref="HttpContext.Items"/>.</summary>
    public const string RecordedBodyKey = "agentflow.test.body";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request as the server saw it.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);
