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
internal sealed class WorkflowFeed(RuntimeService runtime, ServerOptions options)
{
    private static readonly ExecutionStatus[] Unfinished = [ExecutionStatus.Running, ExecutionStatus.Cancelling];

    /// <param name="since">When the client asked: executions created from then on are sent from their first event.</param>
    public async IAsyncEnumerable<StreamItem> FollowAsync(string tenant, string workflowId, DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var qualified = WorkflowCatalog.Qualify(tenant, workflowId);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [ExecutionLabels.Tenant] = tenant };
        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var running in await QueryAllAsync(new ExecutionQuery(Unfinished, qualified, Labels: labels, PageSize: ExecutionQuery.MaxPageSize), cancellationToken).ConfigureAwait(false))
        {
            positions[running.ExecutionId] = running.CreatedAt >= since ? 0 : running.LastSequence;
        }

        var finished = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            // New executions are found by workflow id alone: their tenant label may not be written yet.
            foreach (var fresh in await QueryAllAsync(new ExecutionQuery(WorkflowId: qualified, CreatedFrom: since, PageSize: ExecutionQuery.MaxPageSize), cancellationToken).ConfigureAwait(false))
            {
                positions.TryAdd(fresh.ExecutionId, 0);
            }

            foreach (var (executionId, last) in positions.ToList())
            {
                if (finished.Contains(executionId))
                {
                    continue;
                }

                foreach (var e in await runtime.Store.ReadAsync(executionId, last + 1, cancellationToken).ConfigureAwait(false))
                {
                    positions[executionId] = e.Sequence;
                    if (e is ExecutionCompleted or ExecutionFailed or ExecutionCancelled)
                    {
                        finished.Add(executionId);
                    }

                    yield return new StoredEventItem(e);
                }
            }

            await Task.Delay(options.StreamPollInterval, runtime.Runtime.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
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
