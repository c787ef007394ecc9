using System.Text.Json;
using AgentFlow.Core.Definitions;
using AgentFlow.FlowGram.Definitions;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Validation;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Api;

/// <summary>
/// One schema text parsed, built, validated (TaskRun's rules, §1.4) and, when valid, mapped. Immutable once built
/// and shared by every task of that text; only the input check (§1.9) remains per run.
/// </summary>
internal sealed class PreparedSchema
{
    private readonly JsObject? _startOutputs;
    private readonly IReadOnlyList<string> _schemaErrors;
    private readonly WorkflowDefinition? _mapped;

    private PreparedSchema(JsObject? startOutputs, string id, IReadOnlyList<string> schemaErrors, WorkflowDefinition? mapped)
    {
        _startOutputs = startOutputs;
        Id = id;
        _schemaErrors = schemaErrors;
        _mapped = mapped;
    }

    public string Id { get; }

    /// <exception cref="FlowGramException">The schema is not JSON or its document cannot be built.</exception>
    public static PreparedSchema Build(string schema)
    {
        JsObject root;
        try
        {
            root = Js.Parse(schema) as JsObject ?? throw new FlowGramException("Workflow schema must be a valid object");
        }
        catch (JsonException ex)
        {
            throw new FlowGramException(ex.Message, ex);
        }

        var document = FlowDocument.Build(root);
        var id = FlowGramDefinitionMapper.WorkflowIdOf(schema);
        var errors = SchemaValidator.Validate(root, nested: false);

        // Only the start node's declared outputs are kept for the input check: the parsed document is not retained.
        return new PreparedSchema(document.Start?.Outputs, id, errors, errors.Count == 0 ? FlowGramDefinitionMapper.Map(root, document, id, null) : null);
    }

    /// <summary>
    /// The definition a task with <paramref name="input"/> runs: the mapped schema, or when the schema or the inputs fail
    /// validation a one-node definition that fails with the messages.
    /// </summary>
    public (WorkflowDefinition Definition, bool Invalid) For(Core.Values.Value input)
    {
        if (_mapped is null)
        {
            return (FlowGramDefinitionMapper.Invalid(Id, _schemaErrors), true);
        }

        if (InputValidator.Validate(_startOutputs, input) is { } inputError)
        {
            return (FlowGramDefinitionMapper.Invalid(Id, [inputError]), true);
        }

        return (_mapped, false);
    }
}
