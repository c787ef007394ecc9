namespace AgentFlow.Core.Persistence;

/// <summary>One announcement a store made, as a subscriber (<see cref="IStoreNotifications.SubscribeAsync"/>) sees it.</summary>
/// <param name="Channel">What kind of write it announces.</param>
/// <param name="ExecutionId">
/// The execution concerned; null when unknown (announcements may have been lost, e.g. while the store reconnected):
/// then look at everything the subscription covers.
/// </param>
/// <param name="WorkflowId">The execution's workflow, when the store names it (<see cref="StoreChannel.Appended"/> does).</param>
public readonly record struct StoreAnnouncement(StoreChannel Channel, string? ExecutionId, string? WorkflowId);
