namespace AgentFlow.Runtime.Hosting;

/// <summary>
/// Orders, per execution, a finished run giving its lease back against a new run of the same execution taking it
/// here (resume right after a pause, retry): without it the old run's release could land after the new run's acquire,
/// and the fenced new run would then find its lease gone. Striped, so unrelated executions do not wait on each other.
/// </summary>
internal sealed class LeaseHandoverGate : IDisposable
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 32).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<Entered> EnterAsync(string executionId, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(executionId) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Entered(stripe);
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    /// <summary>Leaves the gate when disposed.</summary>
    public readonly struct Entered(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
