using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace AgentFlow.Server.Workflows;

/// <summary>
/// Documents the request body of routes that take a workflow document. It is described in the OpenAPI document only,
/// not as accepts-metadata, because routing would answer a wrong content type with the API's 404 fallback instead of
/// the precise 415 problem the handler gives.
/// </summary>
internal static class WorkflowDocumentBody
{
    private static readonly string[] ContentTypes = ["application/json", "application/yaml", "text/yaml", "multipart/form-data"];

    public static RouteHandlerBuilder AcceptsWorkflowDocument(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "A workflow in our DSL (YAML or JSON) or a FlowGram schema (JSON, detected); multipart/form-data takes it as a file part.",
                Content = ContentTypes.ToDictionary(t => t, _ => new OpenApiMediaType(), StringComparer.Ordinal),
            };
            return Task.CompletedTask;
        });
}
