namespace AgentFlow.Core.Persistence;

/// <summary>The outcome of sending a signal.</summary>
/// <param name="Signal">The stored signal (the original one for a duplicate).</param>
/// <param name="Duplicate">True when a signal with the same deduplication id was already accepted.</param>
public sealed record SignalSendResult(StoredSignal Signal, bool Duplicate);
