using System.Text.Json;

namespace AgentFlow.Server.FlowGram;

/// <summary>The body of TaskRun and TaskValidate: the schema as JSON text, and the inputs.</summary>
public sealed record FlowGramTaskRequest(JsonElement? Schema, JsonElement? Inputs);

/// <summary>The body of TaskCancel.</summary>
public sealed record FlowGramCancelRequest(JsonElement? TaskID);

/// <summary>TaskRun's answer.</summary>
public sealed record FlowGramRunResponse(string TaskID);

/// <summary>TaskCancel's answer.</summary>
public sealed record FlowGramCancelResponse(bool Success);

/// <summary><c>GET /info</c>'s answer, as the reference server gives it.</summary>
public sealed record FlowGramInfo(string Name, string Title, string Description, string Runtime, string Version, string Time);
