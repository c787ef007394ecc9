using AgentFlow.Core.Dsl;
using AgentFlow.Core.Events;
using AgentFlow.Core.Persistence;
using AgentFlow.Runtime.Execution;

namespace AgentFlow.Runtime.Hosting;

/// <summary>Leases, the heartbeat, claiming orphaned work and reloading stored definitions.</summary>
public sealed partial class WorkflowHost
{
    /// <summary>How many executions this host runs (roots; their children ride along).</summary>
    public int OwnedCount => _owned.Count;

    private void Track(string rootId, ExecutionHandle handle, IEnumerable<string> childLeases)
    {
        var owned = new Owned(rootId);
        foreach (var child in childLeases)
        {
            owned.AddChild(child);
        }

        _owned[rootId] = owned;
        EnsureHeartbeat();
        var release = ReleaseWhenDoneAsync(owned, handle.Completion);
        _releases.TryAdd(release, 0);
        _ = release.ContinueWith(done => _releases.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    // Takes the completion task, not the handle: waiting for a turn or the store must not keep the finished runner alive.
    private async Task ReleaseWhenDoneAsync(Owned owned, Task<ExecutionResult> completion)
    {
        try
        {
            await completion.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A runner that faulted (e.g. lost an append race to a new owner) just gives its lease up.
        catch (ExecutionOwnershipLostException ex)
        {
            // Fenced: another process owns the log now; this runner recorded nothing more. Stop renewing.
            _options.Log?.Invoke($"execution {owned.ExecutionId} detached, owned elsewhere now: {ex.InnerException?.Message}");
        }
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _options.Log?.Invoke($"execution {owned.ExecutionId} stopped: {ex.Message}");
        }

        using var handover = await _handover.EnterAsync(owned.ExecutionId, CancellationToken.None).ConfigureAwait(false);
        if (!_owned.TryRemove(new KeyValuePair<string, Owned>(owned.ExecutionId, owned)))
        {
            // Tracked again meanwhile (e.g. resumed right after it paused here): the lease belongs to the new run.
            return;
        }

        try
        {
            foreach (var id in owned.LeaseIds())
            {
                await _store.ReleaseLeaseAsync(id, OwnerId, CancellationToken.None).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A lease that cannot be released simply expires.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _options.Log?.Invoke($"execution {owned.ExecutionId}: lease not released ({ex.Message}); it will expire");
        }
    }

    private void EnsureHeartbeat()
    {
        lock (_gate)
        {
            _heartbeat ??= Task.Run(() => HeartbeatAsync(_stopping.Token), CancellationToken.None);
            _signals ??= Task.Run(() => WakeLoopAsync(StoreChannel.Signals, DeliverSignalsAsync, _stopping.Token), CancellationToken.None);
        }
    }

    /// <summary>Renews leases well before they expire.</summary>
    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        var renewEvery = _options.LeaseDuration / 3;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(renewEvery, _runtime.TimeProvider, cancellationToken).ConfigureAwait(false);
                await RenewAllAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The heartbeat must outlive a transient store error; the next tick retries.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _options.Log?.Invoke($"heartbeat failed: {ex.Message}");
            }
        }
    }

    /// <summary>
    /// Renews every lease this host holds in one store call. A root whose lease is gone is owned elsewhere now: its
    /// runner is stopped at once (in-flight work cancelled), before it can try another append.
    /// </summary>
    private async Task RenewAllAsync(CancellationToken cancellationToken)
    {
        // Claimed but not yet adopted: renewed too, so a slow adoption of a large batch does not let them expire.
        var ids = new HashSet<string>(_claimed.Keys, StringComparer.Ordinal);
        foreach (var owned in _owned.Values)
        {
            ids.UnionWith(owned.LeaseIds());
        }

        if (ids.Count == 0)
        {
            return;
        }

        var renewed = await _store.RenewLeasesAsync(ids, OwnerId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        if (renewed.Count == ids.Count)
        {
            return;
        }

        ids.ExceptWith(renewed.Select(l => l.ExecutionId));
        foreach (var id in ids)
        {
            if (_owned.ContainsKey(id))
            {
                _options.Log?.Invoke($"execution {id}: lease lost; stopping it here");
                _runtime.LoseOwnership(id, new LeaseLostException(id, id, OwnerId));
            }
            else
            {
                // A claim not yet adopted, or a child claimed alongside its root: its runner (if any) is fenced by the root's lease.
                _options.Log?.Invoke($"execution {id}: lease lost");
            }
        }
    }

    /// <summary>
    /// Claims as many executions as there are free slots and resumes them, several at once. Returns true when the
    /// claim filled every slot (so more may be waiting: claim again at once).
    /// </summary>
    private async Task<bool> ClaimAsync(bool woken, CancellationToken cancellationToken)
    {
        var busy = 0;
        foreach (var id in _owned.Keys)
        {
            busy += _runtime.IsParked(id) ? 0 : 1;
        }

        var free = _options.MaxConcurrentExecutions - busy;
        if (free <= 0)
        {
            return false;
        }

        var leases = await _store.ClaimRunnableExecutionsAsync(OwnerId, free, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);

        // Every claimed lease is renewed from now on, not only once its execution is adopted: adoption takes a while
        // for a large batch, and a lease left to expire meanwhile would let a second worker claim it too.
        foreach (var lease in leases)
        {
            _claimed.TryAdd(lease.ExecutionId, 0);
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentResumes, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(leases, options, async (lease, token) => await AdoptClaimedAsync(lease.ExecutionId, token).ConfigureAwait(false)).ConfigureAwait(false);
        return leases.Count == free;
    }

    /// <summary>Adopts an execution whose lease this host just took; one that cannot be adopted never stops the worker.</summary>
    private async Task AdoptClaimedAsync(string executionId, CancellationToken cancellationToken)
    {
        _claimed.TryAdd(executionId, 0);
        try
        {
            await AdoptAsync(executionId, cancellationToken).ConfigureAwait(false);
        }
        catch (DefinitionUnavailableException ex)
        {
            _options.Log?.Invoke(ex.Message);
            await EndUnresumableAsync(executionId, ex.Message, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // One execution that cannot be adopted must not stop the worker; its lease expires and it is retried.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            _options.Log?.Invoke($"execution {executionId}: not resumed: {ex.Message}");
        }
        finally
        {
            // Adopted (now renewed as owned, or as a child of an owned root), released, or deliberately left to
            // expire (a child whose root another process runs; one that could not be resumed).
            _claimed.TryRemove(executionId, out _);
        }
    }

    /// <summary>Runs a claimed execution: itself when it is a root; its root (which resumes it) when it is a child.</summary>
    private async Task AdoptAsync(string executionId, CancellationToken cancellationToken)
    {
        var record = await _store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        if (record is null || record.IsTerminal || _owned.ContainsKey(executionId))
        {
            if (record is null || record.IsTerminal)
            {
                await _store.ReleaseLeaseAsync(executionId, OwnerId, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var rootId = await FindRootAsync(record, cancellationToken).ConfigureAwait(false);
        if (rootId == executionId)
        {
            Track(rootId, await ResumeLeasedAsync(rootId, cancellationToken).ConfigureAwait(false), []);
            return;
        }

        if (_owned.TryGetValue(rootId, out var owner))
        {
            owner.AddChild(executionId);
            return;
        }

        var root = await _store.GetExecutionAsync(rootId, cancellationToken).ConfigureAwait(false);
        if (root is null || root.IsTerminal)
        {
            // The root ended (e.g. failed) but crashed before its children recorded their cancellation.
            await AppendAsync(executionId, (id, seq, at) => new ExecutionCancelled(id, seq, at), cancellationToken).ConfigureAwait(false);
            await _store.ReleaseLeaseAsync(executionId, OwnerId, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (await _store.TryAcquireLeaseAsync(rootId, OwnerId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false) is null)
        {
            // The root's owner runs this child in-process. Keeping the claim until it expires (rather than releasing
            // it) stops every poll from claiming the same children again; the claim guards nothing else.
            return;
        }

        Track(rootId, await ResumeLeasedAsync(rootId, cancellationToken).ConfigureAwait(false), [executionId]);
    }

    private async Task<string> FindRootAsync(ExecutionRecord record, CancellationToken cancellationToken)
    {
        var current = record;
        while (current.ParentExecutionId is { } parentId
            && await _store.GetExecutionAsync(parentId, cancellationToken).ConfigureAwait(false) is { } parent)
        {
            current = parent;
        }

        return current.ExecutionId;
    }

    /// <summary>Reloads the exact definition version the execution started with and continues it from its log.</summary>
    private async Task<ExecutionHandle> ResumeLeasedAsync(string executionId, CancellationToken cancellationToken)
    {
        var definition = await LoadStoredDefinitionAsync(executionId, cancellationToken).ConfigureAwait(false);
        return await _runtime.ResumeAsync(definition, executionId, Fence(executionId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The exact definition version the execution started with, reloaded from the store.</summary>
    private async Task<Core.Definitions.WorkflowDefinition> LoadStoredDefinitionAsync(string executionId, CancellationToken cancellationToken)
    {
        var events = await _store.ReadAsync(executionId, 1, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0 || events[0] is not ExecutionStarted started)
        {
            throw new DefinitionUnavailableException(executionId, "its log does not begin with ExecutionStarted.");
        }

        return await LoadDefinitionAsync(executionId, started, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The stored version an execution started with, loaded once per host and shared by every execution of it, so
    /// they also share one compiled graph.
    /// </summary>
    private async Task<Core.Definitions.WorkflowDefinition> LoadDefinitionAsync(string executionId, ExecutionStarted started, CancellationToken cancellationToken)
    {
        var stored = await _store.GetDefinitionAsync(started.WorkflowId, started.WorkflowVersion, cancellationToken).ConfigureAwait(false)
            ?? throw new DefinitionUnavailableException(executionId, $"workflow '{started.WorkflowId}' version {started.WorkflowVersion} is not in the store.");

        // Keyed by content too: a workflow deleted and saved again reuses its version numbers with other text.
        var key = (started.WorkflowId, started.WorkflowVersion, stored.ContentHash);
        if (_definitions.TryGetValue(key, out var cached))
        {
            return cached;
        }
        if (_options.DefinitionLoaders?.GetValueOrDefault(stored.Format) is { } loader)
        {
            // Such a definition may depend on the execution's inputs (a FlowGram task with invalid inputs fails at once),
            // so it is not shared with other executions of the version.
            try
            {
                return loader(stored, started.Inputs);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new DefinitionUnavailableException(executionId, $"workflow '{started.WorkflowId}' version {started.WorkflowVersion} ({stored.Format}) no longer loads: {ex.Message}");
            }
        }

        var fileName = stored.Format == DefinitionFormats.Json ? $"{stored.WorkflowId}.v{stored.Version}.json" : $"{stored.WorkflowId}.v{stored.Version}.yaml";
        var loaded = WorkflowLoader.Load(stored.Source, fileName, _options.Catalog);
        if (!loaded.Succeeded || loaded.Definition is null)
        {
            var first = loaded.Diagnostics.Count > 0 ? loaded.Diagnostics[0].ToString() : "unknown error";
            throw new DefinitionUnavailableException(executionId, $"workflow '{started.WorkflowId}' version {started.WorkflowVersion} no longer loads: {first}");
        }

        return _definitions.GetOrAdd(key, loaded.Definition);
    }

    /// <summary>The fence of an execution this host leases: appends are refused once the lease is someone else's.</summary>
    private LeaseFence Fence(string rootId) => new(rootId, OwnerId);

    /// <summary>An execution nobody can resume fails with a clear error instead of being claimed forever.</summary>
    private async Task EndUnresumableAsync(string executionId, string message, CancellationToken cancellationToken)
    {
        var error = new ErrorInfo("definition.unavailable", message);
        await AppendAsync(executionId, (id, seq, at) => new ExecutionFailed(id, seq, at, error), cancellationToken).ConfigureAwait(false);
        await _store.ReleaseLeaseAsync(executionId, OwnerId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends one event to an execution this host holds the lease of (a claimed one it ends itself).</summary>
    private async Task AppendAsync(string executionId, Func<string, long, DateTimeOffset, ExecutionEvent> create, CancellationToken cancellationToken)
    {
        var events = await _store.ReadAsync(executionId, 1, cancellationToken).ConfigureAwait(false);
        var last = events.Count == 0 ? 0 : events[^1].Sequence;
        await _store.AppendLeasedAsync(executionId, last, [create(executionId, last + 1, _runtime.TimeProvider.GetUtcNow())], executionId, OwnerId, cancellationToken).ConfigureAwait(false);
    }

    private sealed class Owned(string executionId)
    {
        public string ExecutionId { get; } = executionId;

        private readonly Lock _gate = new();
        private readonly List<string> _children = [];

        public void AddChild(string executionId)
        {
            lock (_gate)
            {
                _children.Add(executionId);
            }
        }

        public string[] LeaseIds()
        {
            lock (_gate)
            {
                return [ExecutionId, .. _children];
            }
        }
    }
}
