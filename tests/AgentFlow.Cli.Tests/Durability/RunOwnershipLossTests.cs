using System.Diagnostics;
using AgentFlow.Core.Persistence;
using AgentFlow.Stores.Sqlite;

namespace AgentFlow.Cli.Tests.Durability;

/// <summary>
/// <c>agentflow run --db</c> paused past its lease (a frozen VM, a stopped process) while another process takes the
/// execution over: once it runs again it must see the loss, stop without writing, and say so with its own exit code.
/// </summary>
public sealed class RunOwnershipLossTests
{
    [Fact]
    public async Task RunDb_LeaseTakenWhileProcessWasStopped_ExitsWithOwnershipLostAndWritesNothingMore()
    {
        using var directory = new TempDirectory();
        var db = Path.Combine(directory.Path, "r.db");
        using var file = new TempWorkflow("""
            id: ask
            nodes:
              - id: ask
                kind: wait
                with: { signal: go }
            """);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var run = WorkerProcess.Start("run", file.Path, "--db", db, "--lease", "1s");
        var id = await WaitForStartAsync(run, deadline.Token);
        await using var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(db) { BusyTimeout = TimeSpan.FromSeconds(1) }, deadline.Token);
        while (!(await store.ReadAsync(id, 1, deadline.Token)).Any(e => e is Core.Events.NodeStarted))
        {
            await Task.Delay(20, deadline.Token);
        }

        var before = await TakeOverWhileStoppedAsync(run, store, id, deadline.Token);
        await run.WaitForExitAsync(deadline.Token);

        Assert.Equal(ExitCodes.OwnershipLost, run.ExitCode);
        Assert.Contains($"execution {id} was taken over by another process", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, (await store.ReadAsync(id, 1, deadline.Token)).Count);
        Assert.Equal("thief", (await store.TryAcquireLeaseAsync(id, "thief", TimeSpan.FromMinutes(1), deadline.Token))?.OwnerId);
    }

    /// <summary>The execution id the run prints once its start is durable (so the database exists and is migrated).</summary>
    private static async Task<string> WaitForStartAsync(WorkerProcess run, CancellationToken cancellationToken)
    {
        const string Prefix = "execution ";
        while (true)
        {
            var error = run.Error;
            var at = error.IndexOf(Prefix, StringComparison.Ordinal);
            var end = at < 0 ? -1 : error.IndexOf(" (resume with", at, StringComparison.Ordinal);
            if (end > 0)
            {
                return error[(at + Prefix.Length)..end];
            }

            Assert.False(run.HasExited, $"the run exited before starting; its stderr:\n{error}");
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>
    /// SIGSTOPs the run until its lease expires, takes the lease as another owner, and SIGCONTs it; returns the log's
    /// length at the take-over. A process stopped inside a write transaction would hold the file: then it runs a
    /// moment and the attempt is repeated.
    /// </summary>
    private static async Task<int> TakeOverWhileStoppedAsync(WorkerProcess run, SqliteWorkflowStore store, string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            await SignalAsync(run, "STOP");
            await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
            try
            {
                if (await store.TryAcquireLeaseAsync(id, "thief", TimeSpan.FromMinutes(1), cancellationToken) is not null)
                {
                    var count = (await store.ReadAsync(id, 1, cancellationToken)).Count;
                    await SignalAsync(run, "CONT");
                    return count;
                }
            }
            catch (StoreException ex) when (ex.Kind == StoreErrorKind.Locked)
            {
                // Stopped mid-transaction; let it finish and try again.
            }

            await SignalAsync(run, "CONT");
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task SignalAsync(WorkerProcess run, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }
}
