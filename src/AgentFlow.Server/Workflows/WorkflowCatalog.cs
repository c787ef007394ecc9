using System.Text;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Dsl;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Validation;
using AgentFlow.FlowGram.Api;
using AgentFlow.Server.Hosting;

namespace AgentFlow.Server.Workflows;

/// <summary>
/// Workflows as the API sees them: per tenant. In the store a workflow id is qualified as <c>tenant/id</c>, so one
/// tenant can never load, list or overwrite another's definitions.
/// </summary>
internal sealed class WorkflowCatalog(RuntimeService runtime, ServerOptions options)
{
    private const char Separator = '/';

    public static string Qualify(string tenant, string workflowId) => tenant + Separator + workflowId;

    /// <summary>The workflow id without its tenant; null when it belongs to another tenant.</summary>
    public static string? Unqualify(string tenant, string storedId) =>
        storedId.Length > tenant.Length + 1 && storedId.StartsWith(tenant, StringComparison.Ordinal) && storedId[tenant.Length] == Separator
            ? storedId[(tenant.Length + 1)..]
            : null;

    /// <summary>Parses and validates a document without saving it.</summary>
    public LoadedWorkflow Load(WorkflowBody body, string? givenId)
    {
        if (body.Format == DefinitionFormats.FlowGram)
        {
            var errors = FlowGramTaskApi.ValidateSchema(body.Text);
            var diagnostics = errors.Select(e => new Diagnostic("flowgram-schema", e, SourceLocation.Unknown)).ToList();
            if (string.IsNullOrEmpty(givenId))
            {
                diagnostics.Add(new Diagnostic("missing-id", "A FlowGram schema has no workflow id.", SourceLocation.Unknown, "Pass one in the query: ?id=my-flow."));
            }

            return new LoadedWorkflow(givenId, null, null, diagnostics, Malformed: false);
        }

        var result = WorkflowLoader.Load(body.Text, body.FileName, options.Catalog);
        var malformed = result.Diagnostics.Any(d => d.Code is DiagnosticCodes.YamlSyntax or DiagnosticCodes.JsonSyntax);
        var definition = result.PartialDefinition;
        var all = result.Diagnostics.ToList();
        if (definition is not null && givenId is not null && !string.Equals(givenId, definition.Id, StringComparison.Ordinal))
        {
            all.Add(new Diagnostic("id-mismatch", $"The document's id is '{definition.Id}' but the request names workflow '{givenId}'.", new SourceLocation(body.FileName, 0, 0, "$.id"), $"Set id: {givenId} in the document, or send it to /api/v1/workflows/{definition.Id}."));
        }

        return new LoadedWorkflow(definition?.Id, definition?.Name, all.Any(d => d.IsError) ? null : result.Definition, all, malformed);
    }

    /// <summary>Loads a stored version back into the model (our DSL only).</summary>
    public LoadedWorkflow Load(StoredDefinition stored, string workflowId) =>
        Load(new WorkflowBody(stored.Format, stored.Source, stored.Format == DefinitionFormats.Json ? $"{workflowId}.json" : $"{workflowId}.yaml"), stored.Format == DefinitionFormats.FlowGram ? workflowId : null);

    public ValueTask<DefinitionSaveResult> SaveAsync(string tenant, string workflowId, WorkflowBody body, CancellationToken cancellationToken) =>
        runtime.Store.SaveDefinitionAsync(Qualify(tenant, workflowId), body.Format, body.Text, cancellationToken);

    public ValueTask<StoredDefinition?> GetAsync(string tenant, string workflowId, int? version, CancellationToken cancellationToken) =>
        version is { } v
            ? runtime.Store.GetDefinitionAsync(Qualify(tenant, workflowId), v, cancellationToken)
            : runtime.Store.GetLatestDefinitionAsync(Qualify(tenant, workflowId), cancellationToken);

    /// <summary>One page of the tenant's workflows (latest versions) ordered by id, optionally matching a search.</summary>
    public async Task<(IReadOnlyList<StoredDefinition> Items, string? Next)> ListAsync(string tenant, string? search, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var after = pageToken is null ? null : DecodeToken(pageToken);
        var items = new List<StoredDefinition>(pageSize);
        var more = false;
        await foreach (var stored in runtime.Store.ListDefinitionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Unqualify(tenant, stored.WorkflowId) is not { } id || (after is not null && string.CompareOrdinal(id, after) <= 0) || !Matches(stored, id, search))
            {
                continue;
            }

            if (items.Count == pageSize)
            {
                more = true;
                break;
            }

            items.Add(stored with { WorkflowId = id });
        }

        return (items, more ? EncodeToken(items[^1].WorkflowId) : null);
    }

    /// <exception cref="FormatException">The token was not issued by <see cref="ListAsync"/>.</exception>
    private static string DecodeToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("w:", StringComparison.Ordinal) ? text[2..] : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new FormatException("The page token is not one this server issued; pass the nextPageToken of the previous page unchanged.");
        }
    }

    private static string EncodeToken(string lastId) => Convert.ToBase64String(Encoding.UTF8.GetBytes("w:" + lastId));

    private bool Matches(StoredDefinition stored, string id, string? search)
    {
        if (string.IsNullOrEmpty(search) || id.Contains(search, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var name = Load(stored, id).Name;
        return name is not null && name.Contains(search, StringComparison.OrdinalIgnoreCase);
    }
}
