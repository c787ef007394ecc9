namespace AgentFlow.Core.Definitions;

/// <summary>How a node kind reads its <c>with:</c> value.</summary>
public enum ParameterMode
{
    /// <summary>An object whose keys are the kind's declared <see cref="NodeKindInfo.Parameters"/>.</summary>
    Schema = 0,

    /// <summary>Any value (e.g. <c>transform</c>, whose <c>with:</c> becomes the output).</summary>
    AnyValue,

    /// <summary>An object whose keys are workflow variables (e.g. <c>assign</c>).</summary>
    Variables,

    /// <summary>An object of child workflow inputs (e.g. <c>subworkflow</c>); checked against the child's inputs.</summary>
    ChildInputs,
}
