using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using AgentFlow.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentFlow.Server.Tests.FlowGram;

/// <summary>Tasks started through the FlowGram routes are durable executions: a server restart does not lose them.</summary>
public sealed class FlowGramDurabilityTests
{
    [Fact]
    public async Task TaskRun_ServerStoppedWhileHttpNodeRuns_RestartedServerFinishesTheTask()
    {
        var calls = new StrongBox<int>();
        await using var upstream = await SlowFirstCallAsync(calls);
        var schema = Schema(upstream.BaseAddress + "slow");

        var first = await ServerHarness.StartAsync();
        string taskId;
        await using (first)
        {
            using var run = await first.Client.PostAsync("/api/task/run", ServerHarness.Json(new JsonObject { ["schema"] = schema, ["inputs"] = new JsonObject() }));
            taskId = (await ServerHarness.ReadAsync(run))["taskID"]!.GetValue<string>();
            await WaitUntilAsync(() => Volatile.Read(ref calls.Value) >= 1);
            await first.StopAsync();

            await using var second = await ServerHarness.StartAsync(directory: first.Directory);
            JsonObject? result = null;
            for (var i = 0; i < 300 && result is null; i++)
            {
                using var response = await second.Client.GetAsync($"/api/task/result?taskID={taskId}");
                var text = await response.Content.ReadAsStringAsync();
                result = text.Length > 0 ? JsonNode.Parse(text)!.AsObject() : null;
                if (result is null)
                {
                    await Task.Delay(100);
                }
            }

            Assert.NotNull(result);
            Assert.Equal("second call", result["body"]!.GetValue<string>());
            var report = await second.GetJsonAsync($"/api/task/report?taskID={taskId}");
            Assert.Equal("succeeded", report["workflowStatus"]!["status"]!.GetValue<string>());
            Assert.Equal(2, Volatile.Read(ref calls.Value));
        }
    }

    [Fact]
    public async Task StartExecution_StoredFlowGramWorkflowServerStoppedMidHttp_RestartedServerFinishesIt()
    {
        var calls = new StrongBox<int>();
        await using var upstream = await SlowFirstCallAsync(calls);

        var first = await ServerHarness.StartAsync();
        await using (first)
        {
            using (var create = await first.Client.PostAsync("/api/v1/workflows?id=slow", ServerHarness.Json(Schema(upstream.BaseAddress + "slow"))))
            {
                Assert.Equal(System.Net.HttpStatusCode.Created, create.StatusCode);
            }

            var id = (await first.StartAsync("slow"))["id"]!.GetValue<string>();
            await WaitUntilAsync(() => Volatile.Read(ref calls.Value) >= 1);
            await first.StopAsync();

            // The restarted host reloads the tenant's stored schema (workflow "default/slow" version 1) to continue the task.
            await using var second = await ServerHarness.StartAsync(directory: first.Directory);
            var ended = await second.WaitForEndAsync(id);
            Assert.Equal("succeeded", ended["status"]!.GetValue<string>());
            Assert.Equal("slow", ended["workflowId"]!.GetValue<string>());
            Assert.Equal("second call", (await second.GetJsonAsync($"/api/task/result?taskID={id}"))["body"]!.GetValue<string>());
            Assert.Equal(2, Volatile.Read(ref calls.Value));
        }
    }

    /// <summary>An upstream whose first call hangs (it is still running when the server stops) and later ones answer "second call".</summary>
    private static Task<LoopbackHttpServer> SlowFirstCallAsync(StrongBox<int> calls) => LoopbackHttpServer.StartAsync(async context =>
    {
        if (Interlocked.Increment(ref calls.Value) == 1)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync("second call", context.RequestAborted);
    });

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }

    /// <summary>start → http GET <paramref name="url"/> → end (the body as output <c>body</c>).</summary>
    internal static string Schema(string url) => new JsonObject
    {
        ["nodes"] = new JsonArray(
            new JsonObject
            {
                ["id"] = "start_0",
                ["type"] = "start",
                ["meta"] = new JsonObject { ["position"] = new JsonObject { ["x"] = 0, ["y"] = 0 } },
                ["data"] = new JsonObject { ["title"] = "Start", ["outputs"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() } },
            },
            new JsonObject
            {
                ["id"] = "http_0",
                ["type"] = "http",
                ["meta"] = new JsonObject { ["position"] = new JsonObject { ["x"] = 100, ["y"] = 0 } },
                ["data"] = new JsonObject
                {
                    ["title"] = "http_0",
                    ["api"] = new JsonObject { ["method"] = "GET", ["url"] = new JsonObject { ["type"] = "template", ["content"] = url } },
                    ["headers"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() },
                    ["headersValues"] = new JsonObject(),
                    ["params"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() },
                    ["paramsValues"] = new JsonObject(),
                    ["body"] = new JsonObject { ["bodyType"] = "none" },
                    ["timeout"] = new JsonObject { ["timeout"] = 60000, ["retryTimes"] = 0 },
                    ["outputs"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["body"] = new JsonObject { ["type"] = "string" } } },
                },
            },
            new JsonObject
            {
                ["id"] = "end_0",
                ["type"] = "end",
                ["meta"] = new JsonObject { ["position"] = new JsonObject { ["x"] = 200, ["y"] = 0 } },
                ["data"] = new JsonObject
                {
                    ["title"] = "End",
                    ["inputsValues"] = new JsonObject { ["body"] = new JsonObject { ["type"] = "ref", ["content"] = new JsonArray("http_0", "body") } },
                    ["inputs"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["body"] = new JsonObject { ["type"] = "string" } } },
                },
            }),
        ["edges"] = new JsonArray(
            new JsonObject { ["sourceNodeID"] = "start_0", ["targetNodeID"] = "http_0" },
            new JsonObject { ["sourceNodeID"] = "http_0", ["targetNodeID"] = "end_0" }),
    }.ToJsonString();
}
