namespace AgentFlow.FlowGram.Values;

/// <summary>A JS plain object: string keys in insertion order.</summary>
internal sealed class JsObject : Dictionary<string, object?>
{
    public JsObject()
        : base(StringComparer.Ordinal)
    {
    }

    public JsObject(int capacity)
        : base(capacity, StringComparer.Ordinal)
    {
    }
}
