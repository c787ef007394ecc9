using System.Net;
using System.Text.Json.Nodes;
using AgentFlow.Server.Tests.Streams;
using AgentFlow.Server.Tests.Workflows;

namespace AgentFlow.Server.Tests.Process;

/// <summary>The real <c>agentflow serve</c> process driven over HTTP, as CI must exercise it.</summary>
public sealed class ServeProcessTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "agentflow-serve-tests", Guid.NewGuid().ToString("N"));

    public ServeProcessTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Serve_DrivesAWorkflowEndToEnd_AndCreatesTheDatabase()
    {
        var db = Path.Combine(_directory, "fresh.db");
        await using var server = await ServeProcess.StartAsync(_directory, "--db", db);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        using var created = await server.Client.PostAsync("/api/v1/workflows", ServerHarness.Yaml(TestWorkflows.Greet()));
        using var start = await server.Client.PostAsync("/api/v1/executions", ServerHarness.Json("""{"workflowId":"greet","inputs":{"name":"Ada"}}"""));
        var id = (await ServerHarness.ReadAsync(start))["id"]!.GetValue<string>();
        await using var sse = await SseClient.ConnectAsync(server.Client, $"/api/v1/executions/{id}/events");
        var events = await sse.ReadToEndAsync(limit.Token);
        using var report = await server.Client.GetAsync($"/api/v1/executions/{id}/report");
        using var invalid = await server.Client.PostAsync("/api/v1/workflows", ServerHarness.Yaml("id: x\nnodes: [ { id: a, kind: nope } ]\n"));

        Assert.True(File.Exists(db));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        Assert.Equal("executionCompleted", events.Last(e => e.Id is not null).Name);
        Assert.Equal("hello Ada", (await ServerHarness.ReadAsync(report))["outputs"]!["greeting"]!.GetValue<string>());
        await ServerHarness.AssertProblemAsync(invalid, 422, "validation");
        Assert.Equal(0, await server.TerminateAsync());
    }

    [Fact]
    public async Task Serve_SigtermMidExecution_RestartCompletesItWithoutRerunningCompletedNodes()
    {
        var db = Path.Combine(_directory, "agentflow.db");
        string id;
        await using (var first = await ServeProcess.StartAsync(_directory, "--db", db))
        {
            using var created = await first.Client.PostAsync("/api/v1/workflows", ServerHarness.Yaml(TestWorkflows.Slow("3s")));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var start = await first.Client.PostAsync("/api/v1/executions", ServerHarness.Json("""{"workflowId":"slow"}"""));
            id = (await ServerHarness.ReadAsync(start))["id"]!.GetValue<string>();
            await WaitForEventAsync(first.Client, id, e => e["type"]?.GetValue<string>() == "timerScheduled");

            Assert.Equal(0, await first.TerminateAsync());
            Assert.Contains("Detached 1 running execution", first.Stderr, StringComparison.Ordinal);
        }

        await using var second = await ServeProcess.StartAsync(_directory, "--db", db);
        var done = await WaitForStatusAsync(second.Client, id);
        using var historyResponse = await second.Client.GetAsync($"/api/v1/executions/{id}/history");
        var events = (await ServerHarness.ReadAsync(historyResponse))["events"]!.AsArray().Select(e => e!.AsObject()).ToList();

        Assert.Equal("succeeded", done);
        foreach (var node in new[] { "first", "pause", "last" })
        {
            Assert.Equal(1, events.Count(e => e["type"]!.GetValue<string>() == "nodeSucceeded" && e["nodeId"]!.GetValue<string>() == node));
        }

        Assert.Equal(1, events.Count(e => e["type"]!.GetValue<string>() == "nodeStarted" && e["nodeId"]!.GetValue<string>() == "first"));
        Assert.Equal(0, await second.TerminateAsync());
    }

    [Fact]
    public async Task Serve_DatabaseIsNotOurs_ExitsTwoWithOneLineError()
    {
        var db = Path.Combine(_directory, "notes.db");
        await File.WriteAllTextAsync(db, "not a database");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _directory };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "agentflow.dll"), "serve", "--urls", "http://127.0.0.1:0", "--db", db })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("error: ", await stderr, StringComparison.Ordinal);
        Assert.Contains("is not an AgentFlow database", await stderr, StringComparison.Ordinal);
        Assert.Equal("not a database", await File.ReadAllTextAsync(db));
        _ = await stdout;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private static async Task WaitForEventAsync(HttpClient client, string id, Func<JsonObject, bool> match)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var response = await client.GetAsync($"/api/v1/executions/{id}/history", limit.Token);
            if ((await ServerHarness.ReadAsync(response))["events"]!.AsArray().Any(e => match(e!.AsObject())))
            {
                return;
            }

            await Task.Delay(20, limit.Token);
        }
    }

    private static async Task<string> WaitForStatusAsync(HttpClient client, string id)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var response = await client.GetAsync($"/api/v1/executions/{id}", limit.Token);
            var status = (await ServerHarness.ReadAsync(response))["status"]!.GetValue<string>();
            if (status is "succeeded" or "failed" or "cancelled")
            {
                return status;
            }

            await Task.Delay(50, limit.Token);
        }
    }
}
