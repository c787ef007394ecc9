using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AgentFlow.Server.Executions;
using AgentFlow.Server.FlowGram;
using AgentFlow.Server.Health;
using AgentFlow.Server.Problems;
using AgentFlow.Server.Workflows;

namespace AgentFlow.Server.Json;

/// <summary>Source-generated JSON metadata for the API's request and response bodies (camelCase, as ASP.NET's web defaults).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkflowResponse))]
[JsonSerializable(typeof(WorkflowPage))]
[JsonSerializable(typeof(ValidationResponse))]
[JsonSerializable(typeof(StartExecutionRequest))]
[JsonSerializable(typeof(ExecutionResponse))]
[JsonSerializable(typeof(ExecutionListPage))]
[JsonSerializable(typeof(CancelResponse))]
[JsonSerializable(typeof(ControlResponse))]
[JsonSerializable(typeof(SignalRequest))]
[JsonSerializable(typeof(SignalResponse))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(ApiError[]))]
[JsonSerializable(typeof(List<ApiError>))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(FlowGramTaskRequest))]
[JsonSerializable(typeof(FlowGramCancelRequest))]
[JsonSerializable(typeof(FlowGramRunResponse))]
[JsonSerializable(typeof(FlowGramCancelResponse))]
[JsonSerializable(typeof(FlowGramInfo))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
