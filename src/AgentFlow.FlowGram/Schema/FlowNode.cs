using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Schema;

/// <summary>One node of a flattened FlowGram document (§1.2, §1.4).</summary>
internal sealed class FlowNode
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public required string Name { get; init; }

    /// <summary><c>data.title</c> when it is a string.</summary>
    public string? Title { get; init; }

    /// <summary>The <c>data</c> remainder without title, inputsValues, inputs and outputs; shown in snapshots.</summary>
    public required JsObject Data { get; init; }

    public JsObject? InputsValues { get; init; }

    public JsObject? Inputs { get; init; }

    public JsObject? Outputs { get; init; }

    /// <summary>Whether the node has inputs to resolve: an inputs schema and inputs values (§1.8).</summary>
    public bool DeclaresInputs => Inputs is not null && InputsValues is not null;

    /// <summary>The variables <see cref="Outputs"/> declares, read once per node (nodes are cached per definition).</summary>
    /// <remarks>Built on first use; concurrent first uses build equal arrays, and either may be kept.</remarks>
    public DeclaredOutput[] DeclaredOutputs => _declaredOutputs ??= DeclaredOutput.Of(Outputs);

    /// <summary>A loop's <c>&lt;loopID&gt;_locals</c> variables node id (§2.7).</summary>
    public string LocalsId => _localsId ??= Id + "_locals";

    /// <summary>A loop's <c>loopOutputs</c>, read once per node like <see cref="DeclaredOutputs"/>.</summary>
    public LoopOutput[] LoopOutputs => _loopOutputs ??= LoopOutput.Of(Data);

    /// <summary>A loop's <c>loopFor</c> reference path; null when it is not a ref with at least two parts.</summary>
    public string[]? LoopForPath
    {
        get
        {
            // Empty when there is none: a reference has at least two parts.
            var path = _loopFor ??= FlowValues.ReferenceOf((Data.GetValueOrDefault("loopFor") as JsObject)?.GetValueOrDefault("content")) ?? [];
            return path.Length == 0 ? null : path;
        }
    }

    private DeclaredOutput[]? _declaredOutputs;
    private string? _localsId;
    private LoopOutput[]? _loopOutputs;
    private string[]? _loopFor;

    public FlowNode? Parent { get; set; }

    public List<FlowNode> Children { get; } = [];

    /// <summary>Incoming edges in edge order, duplicates kept.</summary>
    public List<FlowEdge> Prev { get; } = [];

    /// <summary>Outgoing edges in edge order, duplicates kept.</summary>
    public List<FlowEdge> Next { get; } = [];

    /// <summary>Whether outgoing edges are not followed after this node (§3.2 step 8).</summary>
    public bool IsTerminating => Type is "end" or "block-end" or "break" or "continue";
}
