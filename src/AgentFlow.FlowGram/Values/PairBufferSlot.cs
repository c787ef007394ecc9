namespace AgentFlow.FlowGram.Values;

/// <summary>
/// Keeps one <see cref="PairBuffer"/> between the runs of an executor, so a run takes it instead of allocating one;
/// runs at the same time find the slot empty and use a buffer of their own. Owned by one executor instance.
/// </summary>
internal sealed class PairBufferSlot
{
    private PairBuffer? _spare;

    public PairBuffer Rent() => Interlocked.Exchange(ref _spare, null) ?? new PairBuffer(4);

    /// <summary>Empties the buffer (it must not keep a run's values alive) and keeps it for the next run.</summary>
    public void Return(PairBuffer buffer)
    {
        buffer.Clear();
        Volatile.Write(ref _spare, buffer);
    }
}
