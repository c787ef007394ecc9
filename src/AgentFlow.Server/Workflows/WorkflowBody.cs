using AgentFlow.Core.Persistence;
using AgentFlow.FlowGram.Api;
using AgentFlow.Server.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AgentFlow.Server.Workflows;

/// <summary>A workflow document sent in a request: its text and the format its content type (or file name) names.</summary>
internal sealed record WorkflowBody(string Format, string Text, string FileName)
{
    private static readonly string[] YamlTypes = ["application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml"];

    /// <summary>Reads the body: JSON, YAML, or a multipart upload's first file; a problem for anything else.</summary>
    public static async Task<(WorkflowBody? Body, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType;
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return (null, ApiProblems.UnsupportedMediaType("The request has no usable Content-Type; send the workflow as application/json, application/yaml (or text/yaml), or multipart/form-data with a file."));
        }

        var mediaType = media.MediaType.Value ?? string.Empty;
        if (mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            var file = form.Files.Count > 0 ? form.Files[0] : null;
            if (file is null)
            {
                return (null, ApiProblems.BadRequest("The multipart body holds no file; attach the workflow as a file part (e.g. curl -F file=@flow.yaml)."));
            }

            using var reader = new StreamReader(file.OpenReadStream());
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            var isJson = file.FileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                || (file.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false);
            return (Classify(isJson, text, file.FileName), null);
        }

        var json = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
        if (!json && !YamlTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return (null, ApiProblems.UnsupportedMediaType($"Content-Type '{mediaType}' is not accepted here; send application/json, application/yaml (or text/yaml), or multipart/form-data with a file."));
        }

        using var bodyReader = new StreamReader(request.Body);
        var body = await bodyReader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        return (Classify(json, body, json ? "body.json" : "body.yaml"), null);
    }

    private static WorkflowBody Classify(bool json, string text, string fileName) =>
        json && FlowGramSchemaDetector.IsFlowGram(text) ? new WorkflowBody(DefinitionFormats.FlowGram, text, fileName)
        : new WorkflowBody(json ? DefinitionFormats.Json : DefinitionFormats.Yaml, text, fileName);
}
