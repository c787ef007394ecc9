using System.Runtime.CompilerServices;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Server.Executions;
using AgentFlow.Server.Hosting;
using AgentFlow.Server.Workflows;

namespace AgentFlow.Server.Streams;

/// <summary>
/// Follows every execution of one workflow through the store (so executions run by other processes appear too):
/// the new events of executions unfinished when the client asked, and every event of executions started after.
/// </summary>
/// <remarks>
/// Incremental: the store announces each append naming the execution and its workflow (<see cref="AppendWatcher"/>),
/// so a wake-up reads only the logs of the executions announced since the last one. The index is queried only on the
/// safety poll (executions created in a recent window) and when announcements may have been lost (everything created
/// since the client asked), never on every wake-up.
/// </remarks>
internal sealed class WorkflowFeed(RuntimeService runtime, AppendWatcher appends, ServerOptions options)
{
    private static readonly ExecutionStatus[] Unfinished = [ExecutionStatus.Running, ExecutionStatus.Cancelling, ExecutionStatus.Paused];

    /// <param name="since">When the client asked: executions created from then on are sent from their first event.</param>
    public async IAsyncEnumerable<StreamItem> FollowAsync(string tenant, string workflowId, DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var qualified = WorkflowCatalog.Qualify(tenant, workflowId);
        var time = runtime.Runtime.TimeProvider;

        // Listening before the first query: whatever is appended after it is announced, whatever before it is found.
        var wake = new StoreNotifier(time);
        using var announced = await appends.WatchWorkflowAsync(qualified, wake, cancellationToken).ConfigureAwait(false);
        var poll = announced is null ? options.StreamPollInterval : options.StreamSafetyPollInterval;

        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [ExecutionLabels.Tenant] = tenant };
        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var running in await QueryAllAsync(new ExecutionQuery(Unfinished, qualified, Labels: labels, PageSize: ExecutionQuery.MaxPageSize), cancellationToken).ConfigureAwait(false))
        {
            positions[running.ExecutionId] = running.CreatedAt >= since ? 0 : running.LastSequence;
        }

        var finished = new HashSet<string>(StringComparer.Ordinal);
        var ignored = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyCollection<string>? toRead = null;
        var scanFrom = since;
        while (true)
        {
            if (toRead is null)
            {
                // New executions are found by workflow id alone: their tenant label may not be written yet.
                var scanned = time.GetUtcNow();
                foreach (var fresh in await QueryAllAsync(new ExecutionQuery(WorkflowId: qualified, CreatedFrom: scanFrom, PageSize: ExecutionQuery.MaxPageSize), cancellationToken).ConfigureAwait(false))
                {
                    if (fresh.CreatedAt >= since)
                    {
                        positions.TryAdd(fresh.ExecutionId, 0);
                    }
                }

                toRead = [.. positions.Keys];

                // The next safety poll looks back over a window, not to the start: an announcement is lost only with
                // its connection, and then the store announces "unknown", which scans from the start again.
                var window = scanned - (poll * 2) - ClockSkew;
                scanFrom = window > since ? window : since;
            }

            foreach (var executionId in toRead)
            {
                if (finished.Contains(executionId) || !await IsFollowedAsync(executionId, positions, ignored, since, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                foreach (var e in await runtime.Store.ReadAsync(executionId, positions[executionId] + 1, cancellationToken).ConfigureAwait(false))
                {
                    positions[executionId] = e.Sequence;
                    if (e is ExecutionCompleted or ExecutionFailed or ExecutionCancelled)
                    {
                        finished.Add(executionId);
                    }

                    yield return new StoredEventItem(e);
                }
            }

            if (await wake.WaitAsync(StoreChannel.Appended, poll, cancellationToken).ConfigureAwait(false))
            {
                toRead = wake.TakeAnnounced(StoreChannel.Appended);
                if (toRead is null)
                {
                    scanFrom = since;
                }
            }
            else
            {
                toRead = null;
            }
        }
    }

    // Executions are stamped by the clock of the process that starts them; another machine's may lag this one's.
    private static TimeSpan ClockSkew => TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether an announced execution of the workflow is one this feed sends: known already, or created since the
    /// client asked (an execution that existed then but was not unfinished is not followed, as before).
    /// </summary>
    private async ValueTask<bool> IsFollowedAsync(string executionId, Dictionary<string, long> positions, HashSet<string> ignored, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (positions.ContainsKey(executionId))
        {
            return true;
        }

        if (ignored.Contains(executionId))
        {
            return false;
        }

        if (await runtime.Store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false) is { } record && record.CreatedAt >= since)
        {
            positions[executionId] = 0;
            return true;
        }

        ignored.Add(executionId);
        return false;
    }

    private async Task<List<ExecutionRecord>> QueryAllAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        var all = new List<ExecutionRecord>();
        var page = await runtime.Store.QueryExecutionsAsync(query, cancellationToken).ConfigureAwait(false);
        all.AddRange(page.Items);
        while (page.NextPageToken is { } next)
        {
            page = await runtime.Store.QueryExecutionsAsync(query with { PageToken = next }, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
        }

        return all;
    }
}
