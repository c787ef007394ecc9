using AgentFlow.Core.Events;
using AgentFlow.Core.Events.Binary;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Tests.Events.Binary;

/// <summary>
/// The logs are found by id through groups keyed by the id's root (before its first '/'): every id, whatever its
/// shape or length, finds its own log and no other, ids that are not there are not found, and listing gives every id
/// back in creation order, compared with a plain dictionary kept beside it.
/// </summary>
public sealed class CompactEventLogsTableTests
{
    private static readonly DateTimeOffset At = new(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);

    // Roots that are prefixes of one another, empty roots, trailing and doubled slashes, ids without a slash.
    private static readonly string[] Shapes =
    [
        "a", "a/x/0", "a/x/1", "ab", "ab/x/0", "a/", "a//", "/", "/a", "//a", "", "a/x/0/y/0", "b/x/0", "b",
        "a/x", "ax/0", "A/x/0", "a/" + new string('l', 20_000), "a/" + new string('l', 19_999), "é/ü/😀", "é/ü/😀/",
    ];

    [Fact]
    public void Append_IdsOfEveryShape_EachReadsItsOwnLogAndUnknownIdsReadNothing()
    {
        var logs = new CompactEventLogs();
        for (var i = 0; i < Shapes.Length; i++)
        {
            logs.Append(Shapes[i], 0, Log(Shapes[i], i, ended: i % 2 == 0));
        }

        for (var i = 0; i < Shapes.Length; i++)
        {
            ExactEventAssert.Same(Log(Shapes[i], i, ended: i % 2 == 0), logs.Read(Shapes[i], 0).Events());
        }

        foreach (var missing in new[] { "a/x/2", "ab/", "abc", "b/x", "a/x/0/y", "c", "/b", "a/x/0/", "a/" + new string('l', 20_001), "é/ü" })
        {
            Assert.False(logs.TryGetCount(missing, out _), missing);
            Assert.Empty(logs.Read(missing, 0).Events());
        }

        Assert.Equal(Shapes, logs.ReadAll().Select(log => log.ExecutionId));
        Assert.Throws<ArgumentNullException>(() => logs.Read(null!, 0));
        Assert.Throws<ArgumentNullException>(() => logs.TryGetCount(null!, out _));
    }

    [Fact]
    public void Append_ThousandsOfRunsWithChildren_MatchesADictionaryOfTheSameLogs()
    {
        // Enough ids to grow the root table, several groups' tables and the entry chunks many times over.
        var logs = new CompactEventLogs();
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        var random = new Random(7);
        for (var run = 0; run < 300; run++)
        {
            var root = $"{run:x8}-run";
            Add(root);
            for (var child = 0; child < random.Next(0, 40); child++)
            {
                Add($"{root}/loop/{child}");
                if (child % 7 == 0)
                {
                    Add($"{root}/loop/{child}/inner/0");
                }
            }
        }

        // One root with a big group of its own, past every bound of a group's table.
        for (var i = 0; i < 3000; i++)
        {
            Add($"big/{i}");
        }

        foreach (var (id, variant) in expected)
        {
            Assert.True(logs.TryGetCount(id, out var count), id);
            Assert.Equal(4, count);
            Assert.Equal(variant, logs.Read(id, 0).Events()[0] is ExecutionStarted s ? (int)s.Inputs.AsObject()["n"].AsNumber() : -1);
            Assert.False(logs.TryGetCount(id + "/none", out _));
            Assert.False(logs.TryGetCount(id + "x", out _));
        }

        Assert.Equal(order, logs.ReadAll().Select(log => log.ExecutionId));

        void Add(string id)
        {
            var variant = expected.Count;
            expected.Add(id, variant);
            order.Add(id);
            logs.Append(id, 0, Log(id, variant, ended: variant % 3 != 0));
        }
    }

    [Fact]
    public void Append_RefusedForANewIdUnderAKnownRoot_LeavesNoLogAndTheIdStaysFree()
    {
        var logs = new CompactEventLogs();
        logs.Append("r", 0, Log("r", 0, ended: false));
        logs.Append("r/x/0", 0, Log("r/x/0", 1, ended: true));

        Assert.Throws<EventStoreConcurrencyException>(() => logs.Append("r/x/1", 3, Log("r/x/1", 2, ended: true, from: 4)));
        Assert.Throws<EventStoreConcurrencyException>(() => logs.Append("s/x/1", 3, Log("s/x/1", 2, ended: true, from: 4)));
        Assert.Throws<EventStoreConcurrencyException>(() => logs.Append("r/x/0", 0, Log("r/x/0", 1, ended: true)));

        Assert.False(logs.TryGetCount("r/x/1", out _));
        Assert.False(logs.TryGetCount("s/x/1", out _));
        Assert.Equal(["r", "r/x/0"], logs.ReadAll().Select(log => log.ExecutionId));

        logs.Append("r/x/1", 0, Log("r/x/1", 3, ended: true));
        logs.Append("r", 4, [new ExecutionCompleted("r", 5, At, Value.Null)]);
        ExactEventAssert.Same(Log("r/x/1", 3, ended: true), logs.Read("r/x/1", 0).Events());
        Assert.True(logs.TryGetCount("r", out var count));
        Assert.Equal(5, count);
        Assert.Equal(["r", "r/x/0", "r/x/1"], logs.ReadAll().Select(log => log.ExecutionId));
    }

    private static List<ExecutionEvent> Log(string id, int variant, bool ended, long from = 1) =>
    [
        new ExecutionStarted(id, from, At, "wf", 1, Value.Object(("n", variant)), null, null),
        new NodeStarted(id, from + 1, At.AddSeconds(1), "a", 1, Value.Object(("id", id))),
        new NodeSucceeded(id, from + 2, At.AddSeconds(2), "a", 1, Value.Object(("body", $"ok {variant}")), null),
        ended
            ? new ExecutionCompleted(id, from + 3, At.AddSeconds(3), Value.Array(variant, id))
            : new NodeStarted(id, from + 3, At.AddSeconds(3), "b", 1, Value.EmptyObject),
    ];
}
