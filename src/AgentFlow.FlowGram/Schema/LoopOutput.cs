using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Schema;

/// <summary>One entry of a loop's <c>loopOutputs</c> (§2.7): the output it names and the reference it collects.</summary>
/// <param name="Name">The output's name.</param>
/// <param name="Path">The ref's path; null when the entry is not a ref with at least two parts.</param>
internal sealed record LoopOutput(string Name, string[]? Path)
{
    /// <summary>A loop's <c>loopOutputs</c> in property order; empty when it has none.</summary>
    public static LoopOutput[] Of(JsObject data)
    {
        if (data.GetValueOrDefault("loopOutputs") is not JsObject loopOutputs || loopOutputs.Count == 0)
        {
            return [];
        }

        var outputs = new LoopOutput[loopOutputs.Count];
        var i = 0;
        foreach (var (name, reference) in loopOutputs)
        {
            outputs[i++] = new LoopOutput(name, FlowValues.ReferenceOf((reference as JsObject)?.GetValueOrDefault("content")));
        }

        return outputs;
    }
}
