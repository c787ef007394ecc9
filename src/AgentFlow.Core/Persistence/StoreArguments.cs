using System.Text.Json;
using AgentFlow.Core.Events;

namespace AgentFlow.Core.Persistence;

/// <summary>Argument checks every store makes the same way, before touching storage, so bad input changes nothing.</summary>
public static class StoreArguments
{
    /// <summary>Checks that a batch belongs to the execution and continues the log right after <paramref name="expectedSequence"/>.</summary>
    /// <exception cref="ArgumentException">The batch is empty, or an event has the wrong execution id or sequence.</exception>
    public static void ValidateAppend(string executionId, long expectedSequence, IReadOnlyList<ExecutionEvent> events)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedSequence);
        if (events.Count == 0)
        {
            throw new ArgumentException("A batch must hold at least one event.", nameof(events));
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Sequence != expectedSequence + 1 + i || !string.Equals(events[i].ExecutionId, executionId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Event {i} of the batch has sequence {events[i].Sequence} for '{events[i].ExecutionId}'; expected {expectedSequence + 1 + i} for '{executionId}'.", nameof(events));
            }
        }
    }

    /// <summary>Checks a definition save.</summary>
    public static void ValidateDefinition(string workflowId, string format, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        ArgumentNullException.ThrowIfNull(source);
        if (!DefinitionFormats.IsKnown(format))
        {
            throw new ArgumentException($"Definition format '{format}' is unknown; use yaml, json or flowgram.", nameof(format));
        }
    }

    /// <summary>Checks a signal.</summary>
    public static void ValidateSignal(string executionId, string name, string payloadJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(payloadJson);
        try
        {
            using var document = JsonDocument.Parse(payloadJson);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The payload of signal '{name}' is not valid JSON: {ex.Message}", nameof(payloadJson), ex);
        }
    }

    /// <summary>Checks a query and returns its keyset position (null for the first page).</summary>
    public static (long CreatedTicks, string ExecutionId)? ValidateQuery(ExecutionQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, ExecutionQuery.MaxPageSize);
        return query.PageToken is null ? null : PageToken.Decode(query.PageToken);
    }

    /// <summary>Checks a claim or lease request.</summary>
    public static void ValidateClaim(string ownerId, int maxCount, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
    }
}
