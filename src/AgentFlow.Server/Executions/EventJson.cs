using System.Text.Json.Nodes;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Server.Security;
using AgentFlow.Server.Workflows;

namespace AgentFlow.Server.Executions;

/// <summary>
/// Events as the API shows them: their persisted JSON, with secret inputs masked and the tenant prefix taken off the
/// workflow id, so a client never sees another tenant's naming or a secret.
/// </summary>
internal static class EventJson
{
    public static JsonObject ToJson(ExecutionEvent executionEvent, string tenant, IReadOnlyList<string>? secrets = null)
    {
        var json = JsonNode.Parse(EventSerializer.Serialize(executionEvent))!.AsObject();
        if (executionEvent is ExecutionStarted started)
        {
            json["workflowId"] = WorkflowCatalog.Unqualify(tenant, started.WorkflowId) ?? started.WorkflowId;
            if (json["inputs"] is JsonObject inputs)
            {
                foreach (var secret in started.SecretInputs ?? [])
                {
                    if (inputs.ContainsKey(secret))
                    {
                        inputs[secret] = ExecutionReport.Redacted;
                    }
                }
            }
        }

        SecretRedaction.Redact(json, secrets ?? []);
        return json;
    }

    /// <summary>The event as one line of JSON text.</summary>
    public static string ToText(ExecutionEvent executionEvent, string tenant) => ToJson(executionEvent, tenant).ToJsonString();
}
