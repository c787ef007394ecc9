using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace AgentFlow.Load;

/// <summary>
/// Every live object of a process by type, counted from the heap walk a full blocking GC does when the runtime's
/// heap-snapshot events are switched on over EventPipe (the mechanism of dotnet-gcdump). The total is the exact live
/// set at that moment, with no garbage in it, which is what a leak shows in.
/// </summary>
internal sealed class HeapCensus
{
    private HeapCensus(IReadOnlyDictionary<string, TypeTally> types) => Types = types;

    /// <summary>Live objects and bytes per type name.</summary>
    public IReadOnlyDictionary<string, TypeTally> Types { get; }

    public long TotalBytes => Types.Values.Sum(t => t.Bytes);

    public long CountOf(string typeName) => Types.TryGetValue(typeName, out var tally) ? tally.Objects : 0;

    /// <summary>Forces the full GC in process <paramref name="processId"/> and returns its census.</summary>
    public static async Task<HeapCensus> TakeAsync(int processId, CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(processId);
        var providers = new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GCHeapSnapshot) };
        using var session = await client.StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 256, cancellationToken).ConfigureAwait(false);
        var names = new Dictionary<ulong, string>();
        var tallies = new Dictionary<ulong, TypeTally>();
        using var source = new EventPipeEventSource(session.EventStream);
        var walked = 0;
        source.Clr.TypeBulkType += data =>
        {
            for (var i = 0; i < data.Count; i++)
            {
                var type = data.Values(i);
                names[type.TypeID] = type.TypeName;
            }
        };
        source.Clr.GCBulkNode += data =>
        {
            for (var i = 0; i < data.Count; i++)
            {
                var node = data.Values(i);
                var tally = tallies.GetValueOrDefault(node.TypeID);
                tallies[node.TypeID] = new TypeTally(tally.Objects + 1, tally.Bytes + (long)node.Size);
            }
        };

        // The heap walk happens inside the induced GC; once that GC ends and its events are flushed, the census is whole.
        source.Clr.GCStop += end =>
        {
            if (tallies.Count > 0 && Interlocked.Exchange(ref walked, 1) == 0)
            {
                _ = StopSoonAsync();
            }
        };
        await Task.Run(source.Process, cancellationToken).ConfigureAwait(false);
        var byName = new Dictionary<string, TypeTally>(StringComparer.Ordinal);
        foreach (var (id, tally) in tallies)
        {
            var name = names.GetValueOrDefault(id) ?? $"type 0x{id:x}";
            var sum = byName.GetValueOrDefault(name);
            byName[name] = new TypeTally(sum.Objects + tally.Objects, sum.Bytes + tally.Bytes);
        }

        return new HeapCensus(byName);

        async Task StopSoonAsync()
        {
            await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
            await session.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The types that grew most in bytes from <paramref name="earlier"/> to this census.</summary>
    public IEnumerable<(string Type, TypeTally Before, TypeTally After)> GrowthSince(HeapCensus earlier, int top) =>
        Types.Select(t => (Type: t.Key, Before: earlier.Types.GetValueOrDefault(t.Key), After: t.Value))
            .OrderByDescending(t => t.After.Bytes - t.Before.Bytes)
            .Take(top);

    /// <summary>Live objects of one type and their bytes.</summary>
    internal readonly record struct TypeTally(long Objects, long Bytes);
}
