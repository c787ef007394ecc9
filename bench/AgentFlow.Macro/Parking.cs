using AgentFlow.Core.Definitions;
using AgentFlow.Core.Values;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;

namespace AgentFlow.Macro;

/// <summary>Starts many executions of <see cref="Workflows.Parked"/>, which then wait for a signal nobody sends.</summary>
internal static class Parking
{
    private const int Batch = 1_000;

    /// <summary>Starts <paramref name="count"/> executions, <see cref="Batch"/> at a time; returns their ids.</summary>
    public static async Task<string[]> ParkAsync(WorkflowHost host, WorkflowDefinition definition, StartOptions options, int count, CancellationToken cancellationToken)
    {
        var ids = new string[count];
        for (var offset = 0; offset < count; offset += Batch)
        {
            var size = Math.Min(Batch, count - offset);
            var starts = new Task<ExecutionHandle>[size];
            for (var i = 0; i < size; i++)
            {
                starts[i] = host.StartAsync(definition, Value.EmptyObject, options, cancellationToken);
            }

            var handles = await Task.WhenAll(starts);
            for (var i = 0; i < size; i++)
            {
                ids[offset + i] = handles[i].ExecutionId;
            }
        }

        return ids;
    }

    /// <summary>Waits until the log of every execution ends with the wait node's start (all are parked).</summary>
    public static async Task WaitUntilParkedAsync(Core.Persistence.IWorkflowStore store, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
        {
            while (true)
            {
                var events = await store.ReadAsync(id, 1, cancellationToken);
                if (events.Count > 0 && events[^1] is Core.Events.NodeStarted { NodeId: "w" })
                {
                    break;
                }

                await Task.Delay(10, cancellationToken);
            }
        }
    }
}
