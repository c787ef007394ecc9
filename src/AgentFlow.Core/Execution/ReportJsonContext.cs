using System.Text.Json.Serialization;

namespace AgentFlow.Core.Execution;

/// <summary>Source-generated JSON metadata for reports (camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ExecutionReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
