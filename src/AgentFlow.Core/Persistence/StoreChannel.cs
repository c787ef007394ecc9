namespace AgentFlow.Core.Persistence;

/// <summary>The kinds of work a store can announce through <see cref="IStoreNotifications"/>.</summary>
public enum StoreChannel
{
    /// <summary>An execution may have become claimable: a new log started, or a lease was released.</summary>
    Runnable = 0,

    /// <summary>A signal was accepted into some execution's inbox.</summary>
    Signals,

    /// <summary>A timer was armed or re-armed, so the earliest due time may have moved.</summary>
    Timers,

    /// <summary>
    /// Events were appended to an execution's log (one announcement per append, naming the execution and its
    /// workflow), for live streams; hosts never wait on it.
    /// </summary>
    Appended,
}
