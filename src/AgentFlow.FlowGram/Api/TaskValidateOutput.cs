namespace AgentFlow.FlowGram.Api;

/// <summary>The answer of TaskValidate (§4.1): <c>{valid, errors?}</c>.</summary>
/// <param name="Valid">Whether the schema and inputs are valid.</param>
/// <param name="Errors">The reference's error strings, null when valid.</param>
public sealed record TaskValidateOutput(bool Valid, IReadOnlyList<string>? Errors);
