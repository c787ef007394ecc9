using AgentFlow.Core.Definitions;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;
using AgentFlow.Nodes.Http;
using AgentFlow.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentFlow.Nodes.Tests.Http;

public sealed class HttpNodeExecutorTests : IAsyncLifetime
{
    private LoopbackHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackHttpServer.StartAsync(Respond);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Execute_GetWithQueryAndHeaders_ReturnsParsedJsonAndSendsIdempotencyKey()
    {
        var output = await Run(Value.Object(
            ("url", Url("/echo?fixed=1")),
            ("query", Value.Object(("q", "a b"), ("tag", Value.Array("x", "y")))),
            ("headers", Value.Object(("X-Trace", "t1")))));

        Assert.Equal(200, output["status"].AsNumber());
        Assert.True(output["ok"].AsBoolean());
        Assert.Equal("GET", output["body"]["method"].AsString());
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/echo?fixed=1&q=a%20b&tag=x&tag=y", request.PathAndQuery);
        Assert.Equal("t1", request.Headers["X-Trace"]);
        Assert.Equal("exec-1/call/2", request.Headers[HttpNodeExecutor.IdempotencyHeader]);
    }

    [Fact]
    public async Task Execute_PostJson_SendsJsonBodyWithContentType()
    {
        await Run(Value.Object(("method", "post"), ("url", Url("/echo")), ("json", Value.Object(("n", 1), ("s", "é")))));

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("""{"n":1,"s":"é"}""", request.Body);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_TextBody_SendsGivenContentType()
    {
        await Run(Value.Object(("method", "PUT"), ("url", Url("/echo")), ("body", "hello"), ("contentType", "text/csv")));

        var request = Assert.Single(_server.Requests);
        Assert.Equal("hello", request.Body);
        Assert.StartsWith("text/csv", request.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_ServerError_ThrowsRetryableStatusErrorWithExcerpt()
    {
        var error = await Assert.ThrowsAsync<NodeExecutionException>(() => Run(Value.Object(("url", Url("/status/503")))));

        Assert.Equal("http.status", error.Code);
        Assert.True(error.Retryable);
        Assert.Equal(503, error.Details["status"].AsNumber());
        Assert.Contains("answered 503", error.Message, StringComparison.Ordinal);
        Assert.Contains("status body 503", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_ClientError_IsNotRetryable()
    {
        var error = await Assert.ThrowsAsync<NodeExecutionException>(() => Run(Value.Object(("url", Url("/status/404")))));

        Assert.Equal("http.status", error.Code);
        Assert.False(error.Retryable);
    }

    [Fact]
    public async Task Execute_FailOnStatusFalse_ReturnsStatusAsOutput()
    {
        var output = await Run(Value.Object(("url", Url("/status/404")), ("failOnStatus", false)));

        Assert.Equal(404, output["status"].AsNumber());
        Assert.False(output["ok"].AsBoolean());
        Assert.Equal("status body 404", output["body"].AsString());
    }

    [Fact]
    public async Task Execute_SlowServer_FailsWithTimeoutCode()
    {
        var error = await Assert.ThrowsAsync<NodeExecutionException>(() => Run(Value.Object(("url", Url("/hang")), ("timeout", "150ms"))));

        Assert.Equal("timeout", error.Code);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task Execute_CallerCancels_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var running = Run(Value.Object(("url", Url("/hang"))), cancellation.Token);
        while (_server.Requests.Count == 0)
        {
            await Task.Yield();
        }

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Theory]
    [InlineData("ftp://example.test/x")]
    [InlineData("not a url")]
    public async Task Execute_BadUrl_FailsWithoutSendingAnything(string url)
    {
        var error = await Assert.ThrowsAsync<NodeExecutionException>(() => Run(Value.Object(("url", url))));

        Assert.Equal("http.invalid_request", error.Code);
        Assert.False(error.Retryable);
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Execute_ResponseOverLimit_FailsAsTooLarge()
    {
        var error = await Assert.ThrowsAsync<NodeExecutionException>(() => Run(Value.Object(("url", Url("/big")), ("maxResponseBytes", 100))));

        Assert.Equal("http.response_too_large", error.Code);
    }

    [Fact]
    public async Task Execute_JsonAndBodyTogether_IsRejected()
    {
        var error = await Assert.ThrowsAsync<NodeExecutionException>(() => Run(Value.Object(("url", Url("/echo")), ("json", 1), ("body", "x"))));

        Assert.Equal("http.invalid_request", error.Code);
    }

    private string Url(string path) => new Uri(_server.BaseAddress, path).ToString();

    private static async Task<Value> Run(Value parameters, CancellationToken cancellationToken = default)
    {
        using var client = new HttpClient();
        var executor = new HttpNodeExecutor(client);
        var context = new NodeContext
        {
            ExecutionId = "exec-1",
            Node = new NodeDefinition { Id = "call", Kind = "http" },
            Attempt = 2,
            Parameters = parameters,
            IdempotencyKey = "exec-1/call/2",
            Time = TimeProvider.System,
        };
        return await executor.ExecuteAsync(context, cancellationToken);
    }

    private static async Task Respond(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        if (path.StartsWith("/status/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = int.Parse(path["/status/".Length..], System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsync($"status body {context.Response.StatusCode}");
        }
        else if (path == "/hang")
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        else if (path == "/big")
        {
            await context.Response.WriteAsync(new string('x', 1000));
        }
        else
        {
            context.Response.ContentType = "application/json";
            var body = (string)context.Items[LoopbackHttpServer.RecordedBodyKey]!;
            await context.Response.WriteAsync(Value.Object(("method", context.Request.Method), ("body", body)).ToJson());
        }
    }
}
