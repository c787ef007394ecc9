namespace AgentFlow.Server.Workflows;

/// <summary>
/// Keeps a workflow's delete and its starts in this process apart: a start holds its workflow from reading the
/// definition until its first event is stored, and a delete refuses while one does (and starts refuse while a delete
/// runs), so no start can slip between the delete's check for unfinished executions and the delete itself.
/// Starts of one workflow do not wait for each other.
/// </summary>
internal sealed class WorkflowStartGuard
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _starting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deleting = new(StringComparer.Ordinal);

    /// <summary>Marks a start of <paramref name="workflowId"/>; null while the workflow is being deleted.</summary>
    public IDisposable? TryEnterStart(string workflowId)
    {
        lock (_gate)
        {
            if (_deleting.Contains(workflowId))
            {
                return null;
            }

            _starting[workflowId] = _starting.GetValueOrDefault(workflowId) + 1;
            return new Release(() => ExitStart(workflowId));
        }
    }

    /// <summary>Marks a delete of <paramref name="workflowId"/>; null while a start (or another delete) of it is in progress.</summary>
    public IDisposable? TryEnterDelete(string workflowId)
    {
        lock (_gate)
        {
            if (_starting.ContainsKey(workflowId) || !_deleting.Add(workflowId))
            {
                return null;
            }

            return new Release(() =>
            {
                lock (_gate)
                {
                    _deleting.Remove(workflowId);
                }
            });
        }
    }

    private void ExitStart(string workflowId)
    {
        lock (_gate)
        {
            if (--_starting[workflowId] == 0)
            {
                _starting.Remove(workflowId);
            }
        }
    }

    private sealed class Release(Action release) : IDisposable
    {
        private Action? _release = release;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
