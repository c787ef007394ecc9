using System.Diagnostics;
using AgentFlow.Core.Events;
using AgentFlow.Stores.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace AgentFlow.Cli.Tests.Durability;

/// <summary>
/// Failover on PostgreSQL: three real <c>agentflow worker</c> processes share one schema, the first is SIGKILLed
/// mid-run, and the other two must finish the executions it held once its leases expire, each effect exactly once.
/// Needs <c>AGENTFLOW_TEST_POSTGRES</c> (see <c>.ci/postgres.sh</c>); every run gets its own schema, dropped afterwards.
/// </summary>
public sealed class PostgresWorkerFailoverTests(ITestOutputHelper output)
{
    // More than a worker runs at once (64), so the first worker holds most and the others start with the rest.
    private const int Executions = 100;

    // The first worker is killed once the service has seen this many calls (of 700): well into its executions.
    private const int KillAfterRequests = 60;

    // Short, so the survivors' claims race each other: a claim takes a batch of leases at once and adopts them one by
    // one, so the host renews every claimed lease from the claim on (not once adopted), and a runner that lost an
    // append race to a new owner stops without recording anything (ExecutionOwnershipLostException).
    private const string Lease = "2s";

    [Fact]
    public async Task Worker_KilledWhileHoldingLeases_OtherWorkersFinishItsExecutionsAfterExpiry()
    {
        // CI starts a server and sets this; on a machine without one there is nothing to connect to.
        var connection = Environment.GetEnvironmentVariable("AGENTFLOW_TEST_POSTGRES");
        if (connection is null)
        {
            Assert.NotEqual("true", Environment.GetEnvironmentVariable("CI"));
            return;
        }

        var elapsed = Stopwatch.StartNew();
        var schema = $"failover_{Guid.NewGuid():N}"[..25];
        await using var server = await EffectServer.StartAsync();
        await using var database = NpgsqlDataSource.Create(connection);
        try
        {
            await using var store = await PostgresWorkflowStore.OpenAsync(new PostgresStoreOptions { ConnectionString = connection, Schema = schema }, CancellationToken.None);
            var ids = await KillRestartTests.SubmitAsync(store, KillRestartTests.Workflow(server.BaseAddress), batch: 0, count: Executions);
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));

            // w1 starts alone so it is the one holding leases; w2 and w3 join once it is doing work.
            using var first = Worker(connection, schema, "w1", untilIdle: false);
            await WaitForRequestsAsync(server, first, 1, deadline.Token);
            using var second = Worker(connection, schema, "w2", untilIdle: true);
            using var third = Worker(connection, schema, "w3", untilIdle: true);
            await WaitForRequestsAsync(server, first, KillAfterRequests, deadline.Token);
            await first.KillAsync();
            var requestsAtKill = server.RequestCount;

            // What the dead worker held: its unexpired-or-unclaimed leases on unfinished roots, with each log's length
            // then. Nothing can change them until the leases expire; a lease another worker already took is left out.
            var held = await HeldAsync(database, schema, "w1");
            Assert.True(held.Count > 0, $"w1 held no unfinished execution when killed after {requestsAtKill} requests; nothing to take over");

            var takers = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            try
            {
                while (!second.HasExited || !third.HasExited)
                {
                    foreach (var (id, owner) in await OwnersAsync(database, schema, [.. held.Keys], deadline.Token))
                    {
                        (takers.TryGetValue(id, out var owners) ? owners : takers[id] = []).Add(owner);
                    }

                    await Task.Delay(50, deadline.Token);
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                Core.Execution.ExecutionStatus[] running = [Core.Execution.ExecutionStatus.Running, Core.Execution.ExecutionStatus.Cancelling];
                var unfinished = (await store.QueryExecutionsAsync(new(running, PageSize: 1000), CancellationToken.None)).Items.Select(r => r.ExecutionId);
                Assert.Fail($"w2 and w3 did not finish within 3 minutes; unfinished (children included): [{string.Join(", ", unfinished)}] ({held.Count} roots had been w1's)\nw2: {second.Error}\nw3: {third.Error}");
            }

            Assert.True(second.ExitCode == 0, $"w2 exited {second.ExitCode}: {second.Error}");
            Assert.True(third.ExitCode == 0, $"w3 exited {third.ExitCode}: {third.Error}");
            foreach (var id in ids)
            {
                // The verification below checks the same; this says why an execution did not succeed.
                var last = (await store.ReadAsync(id, 1, CancellationToken.None))[^1];
                Assert.True(last is ExecutionCompleted, $"{id} ended with {last}\nw2: {second.Error}\nw3: {third.Error}");
            }

            var redispatched = await KillRestartTests.VerifyAsync(store, ids, server);

            // Takeover: w1 was dead, so every event after its last one was written by w2 or w3, and the first of them
            // only once w1's lease had expired (a claimer compares expiry with its own clock; events carry that clock).
            var waits = new List<TimeSpan>();
            foreach (var (id, (expiresAt, lastSequence)) in held)
            {
                var after = (await store.ReadAsync(id, lastSequence + 1, CancellationToken.None)).ToList();
                Assert.True(after.Count > 0, $"{id}: nothing was recorded after w1's kill");
                Assert.IsType<ExecutionCompleted>(after[^1]);
                Assert.True(after[0].Timestamp >= expiresAt, $"{id}: event {after[0].Sequence} ({after[0].GetType().Name}) recorded at {after[0].Timestamp:O}, before w1's lease expired at {expiresAt:O}");
                waits.Add(after[0].Timestamp - expiresAt);
            }

            // Who took over, as far as polling the leases saw (a quick finish can slip between polls): reported only.
            string Seen(string owner) => $"{owner} {takers.Values.Count(o => o.Contains(owner))}";
            var byOwner = $"{Seen("w2")}, {Seen("w3")}, both {takers.Values.Count(o => o.Contains("w2") && o.Contains("w3"))}";
            output.WriteLine($"postgres failover: w1 killed after {requestsAtKill} requests holding {held.Count} unfinished executions; all {Executions} finished by w2/w3 "
                + $"(executions seen leased by {byOwner}), first post-kill event {waits.Min().TotalMilliseconds:F0}-{waits.Max().TotalMilliseconds:F0} ms after expiry, "
                + $"{server.RequestCount} requests, {redispatched} re-dispatched calls absorbed, every effect once, {elapsed.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            await using var drop = database.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static WorkerProcess Worker(string connection, string schema, string owner, bool untilIdle)
    {
        string[] args = ["worker", "--postgres", connection, "--postgres-schema", schema, "--lease", Lease, "--poll", "50ms", "--owner", owner];
        return WorkerProcess.Start(untilIdle ? [.. args, "--until-idle"] : args);
    }

    private static async Task WaitForRequestsAsync(EffectServer server, WorkerProcess worker, int requests, CancellationToken cancellationToken)
    {
        while (server.RequestCount < requests)
        {
            Assert.False(worker.HasExited, $"w1 exited before it was killed: {(worker.HasExited ? worker.Error : "")}");
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>The owner's leases on unfinished root executions: when each expires and the log's last sequence.</summary>
    private static async Task<Dictionary<string, (DateTimeOffset ExpiresAt, long LastSequence)>> HeldAsync(NpgsqlDataSource database, string schema, string owner)
    {
        await using var command = database.CreateCommand($"""
            SELECT l.execution_id, l.expires_at, e.last_sequence FROM {schema}.leases l JOIN {schema}.executions e USING (execution_id)
            WHERE l.owner_id = $1 AND e.status IN ('running', 'cancelling') AND e.parent_execution_id IS NULL
            """);
        command.Parameters.Add(new() { Value = owner });
        await using var reader = await command.ExecuteReaderAsync();
        var held = new Dictionary<string, (DateTimeOffset, long)>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            held[reader.GetString(0)] = (new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero), reader.GetInt64(2));
        }

        return held;
    }

    private static async Task<List<(string Id, string Owner)>> OwnersAsync(NpgsqlDataSource database, string schema, string[] ids, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand($"SELECT execution_id, owner_id FROM {schema}.leases WHERE execution_id = ANY($1)");
        command.Parameters.Add(new() { Value = ids });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var owners = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            owners.Add((reader.GetString(0), reader.GetString(1)));
        }

        return owners;
    }
}
