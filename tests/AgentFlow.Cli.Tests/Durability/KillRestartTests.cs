using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.Stores.Sqlite;
using Xunit.Abstractions;

namespace AgentFlow.Cli.Tests.Durability;

/// <summary>
/// kill -9 fault trials: many executions run in real <c>agentflow worker</c> processes against one SQLite file, the
/// worker is SIGKILLed at random moments (seeded) and restarted, with more executions submitted until the wanted number
/// of kills has happened; then the logs and the effects counted by the loopback service must agree exactly. Each execution makes seven calls: four http nodes (one
/// failing its first attempt, then retried after a delay) and a map of two items with an http node each. Trials (kills): <c>AGENTFLOW_KILL_TRIALS</c> (default 200),
/// seed: <c>AGENTFLOW_KILL_SEED</c>.
/// </summary>
public sealed class KillRestartTests(ITestOutputHelper output)
{
    private static readonly string[] HttpNodes = ["charge", "notify", "flaky", "ship"];
    private const int RequestsPerExecution = 7;
    private const int ExecutionsPerBatch = 40;

    [Fact]
    public async Task Worker_KilledAtRandomMoments_EveryExecutionCompletesWithEachEffectOnce()
    {
        // A trial is one worker process killed with SIGKILL mid-run and replaced; executions are submitted in
        // batches until that many trials have happened, so the count does not depend on how fast a batch drains.
        var trials = int.TryParse(Environment.GetEnvironmentVariable("AGENTFLOW_KILL_TRIALS"), out var t) && t > 0 ? t : 200;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("AGENTFLOW_KILL_SEED"), out var s) ? s : 20261121;
        var random = new Random(seed);
        await using var server = await EffectServer.StartAsync();
        using var directory = new TempDirectory();
        var db = Path.Combine(directory.Path, "trials.db");
        var source = Workflow(server.BaseAddress);
        var ids = await SubmitAsync(db, source, batch: 0, count: ExecutionsPerBatch);

        var kills = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        while (true)
        {
            using var worker = WorkerProcess.Start("worker", "--db", db, "--lease", "500ms", "--poll", "50ms", "--until-idle", "--owner", $"trial-{kills}");
            var killAt = server.RequestCount + random.Next(1, 2 * RequestsPerExecution);
            while (!worker.HasExited && server.RequestCount < killAt)
            {
                await Task.Delay(random.Next(1, 15), deadline.Token);
            }

            if (worker.HasExited)
            {
                Assert.True(worker.ExitCode == 0, $"worker exited {worker.ExitCode}: {worker.Error}");
                if (kills >= trials)
                {
                    break;
                }

                ids.AddRange(await SubmitAsync(db, source, batch: ids.Count / ExecutionsPerBatch, count: ExecutionsPerBatch));
                continue;
            }

            await worker.KillAsync();
            kills++;
        }

        var redispatched = await VerifyAsync(db, ids, server);
        var summary = $"kill -9 trials: {kills} kills of the worker (seed {seed}) over {ids.Count} executions, {server.RequestCount} requests, {redispatched} re-dispatched calls absorbed by Idempotency-Key, every effect exactly once";
        output.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("AGENTFLOW_TRIAL_REPORT") is { Length: > 0 } report)
        {
            // CI prints this file after the run: test output is otherwise only shown for failures.
            await File.WriteAllTextAsync(report, summary + Environment.NewLine);
        }
        Assert.True(kills >= trials, $"only {kills} of {trials} kill trials happened");
    }

    private static async Task<List<string>> SubmitAsync(string db, string source, int batch, int count)
    {
        await using var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(db), CancellationToken.None);
        return await SubmitAsync(store, source, batch, count);
    }

    /// <summary>Saves the definition and starts <paramref name="count"/> executions of it (ids <c>trial-BB-III</c>) without running them.</summary>
    internal static async Task<List<string>> SubmitAsync(IWorkflowStore store, string source, int batch, int count)
    {
        var saved = await store.SaveDefinitionAsync("kill-trial", DefinitionFormats.Yaml, source, CancellationToken.None);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = $"trial-{batch:D2}-{i:D3}";
            ExecutionEvent started = new ExecutionStarted(id, 1, TimeProvider.System.GetUtcNow(), "kill-trial", saved.Definition.Version, Value.Object(("n", i)));
            await store.AppendAsync(id, 0, [started], CancellationToken.None);
            ids.Add(id);
        }

        return ids;
    }

    private static async Task<int> VerifyAsync(string db, List<string> ids, EffectServer server)
    {
        await using var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(db), CancellationToken.None);
        return await VerifyAsync(store, ids, server);
    }

    /// <summary>
    /// Every execution succeeded with a contiguous log holding one start and no node succeeding twice, and each node's
    /// effect (children included) was performed under exactly one idempotency key, the one its log recorded. Returns the
    /// re-dispatched calls the keys absorbed.
    /// </summary>
    internal static async Task<int> VerifyAsync(IWorkflowStore store, List<string> ids, EffectServer server)
    {
        var effectsByNode = server.EffectKeys.GroupBy(k => k[..k.LastIndexOf('/')]).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var id in ids)
        {
            var log = await store.ReadAsync(id, 1, CancellationToken.None);
            for (var i = 0; i < log.Count; i++)
            {
                Assert.Equal(i + 1, log[i].Sequence);
            }

            Assert.Single(log.OfType<ExecutionStarted>());
            Assert.IsType<ExecutionCompleted>(log[^1]);
            var row = await store.GetExecutionAsync(id, CancellationToken.None);
            Assert.Equal((Core.Execution.ExecutionStatus.Succeeded, log[^1].Sequence), (row!.Status, row.LastSequence));
            var successes = log.OfType<NodeSucceeded>().ToList();
            Assert.Equal(successes.Count, successes.Select(n => n.NodeId).Distinct().Count());
            foreach (var node in HttpNodes)
            {
                var success = Assert.Single(successes, n => n.NodeId == node);
                var key = $"{id}/{node}/{success.Attempt}";
                var performed = Assert.Single(effectsByNode[$"{id}/{node}"]);
                Assert.Equal(key, performed);
                Assert.Equal(key, success.Output["body"]["key"].AsString());
            }

            // Map items are child executions with their own logs, resumed by their root.
            for (var index = 0; index < 2; index++)
            {
                var child = await store.ReadAsync($"{id}/items/1/{index}", 1, CancellationToken.None);
                Assert.IsType<ExecutionCompleted>(child[^1]);
                var post = Assert.Single(child.OfType<NodeSucceeded>(), n => n.NodeId == "post");
                Assert.Equal($"{id}/items/1/{index}/post/{post.Attempt}", Assert.Single(effectsByNode[$"{id}/items/1/{index}/post"]));
            }
        }

        // No node of any execution (root or child) performed its effect under two different keys.
        Assert.All(effectsByNode, pair => Assert.Single(pair.Value));

        return server.Requests.Values.Sum(n => n - 1);
    }

    /// <summary>Seven effects per execution: four http nodes (one retried), a map of two http items, a sleep between.</summary>
    internal static string Workflow(Uri server) => $$$"""
        id: kill-trial
        inputs:
          n: { type: integer }
        nodes:
          - id: charge
            kind: http
            with: { method: POST, url: "{{{server}}}charge", json: { n: "${{ inputs.n }}" } }
          - id: notify
            kind: http
            needs: charge
            with: { method: POST, url: "{{{server}}}notify" }
          - id: flaky
            kind: http
            needs: charge
            with: { method: POST, url: "{{{server}}}flaky" }
            retry: { maxAttempts: 3, delay: 100ms }
          - id: items
            kind: map
            needs: charge
            items: [10, 20]
            concurrency: 2
            body:
              nodes:
                - id: post
                  kind: http
                  with: { method: POST, url: "{{{server}}}item", json: { item: "${{ item }}" } }
          - id: pause
            kind: sleep
            needs: [notify, flaky, items]
            with: { duration: 50ms }
          - id: total
            kind: transform
            needs: pause
            with: { n: "${{ inputs.n }}" }
          - id: ship
            kind: http
            needs: total
            with: { method: POST, url: "{{{server}}}ship", json: "${{ nodes.total.output }}" }
        outputs:
          shipped: ${{ nodes.ship.output.body.key }}
        """;
}
