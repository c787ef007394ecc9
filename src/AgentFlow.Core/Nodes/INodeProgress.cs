using AgentFlow.Core.Values;

namespace AgentFlow.Core.Nodes;

/// <summary>A sink for partial node output, published to live subscribers.</summary>
public interface INodeProgress
{
    void Report(Value partial);
}

/// <summary>Discards progress.</summary>
public sealed class NullNodeProgress : INodeProgress
{
    public static NullNodeProgress Instance { get; } = new();

    private NullNodeProgress()
    {
    }

    public void Report(Value partial)
    {
    }
}
