using AgentFlow.Core.Definitions;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Expressions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Validation;

/// <summary>Where validation problems go, plus positions from the loader when there was one.</summary>
internal sealed class ValidationContext(NodeKindCatalog catalog, SourceMap sourceMap)
{
    public NodeKindCatalog Catalog { get; } = catalog;

    public SourceMap SourceMap { get; } = sourceMap;

    public List<Diagnostic> Diagnostics { get; } = [];

    public static string? SubPath(SourceLocation location, string suffix) =>
        location.Path is null ? null : location.Path + suffix;

    /// <summary>The position of <paramref name="suffix"/> (e.g. <c>.with.url</c>) under an element, or the element's own position.</summary>
    public SourceLocation Locate(SourceLocation owner, string suffix) => SourceMap.Locate(SubPath(owner, suffix), owner);

    public void Error(string code, string message, SourceLocation location, string? hint = null) =>
        Diagnostics.Add(new Diagnostic(code, message, location, hint));

    public void Warning(string code, string message, SourceLocation location, string? hint = null) =>
        Diagnostics.Add(new Diagnostic(code, message, location, hint, DiagnosticSeverity.Warning));

    /// <summary>The constant value of a template, or null when it depends on the execution.</summary>
    public static Value? ConstantOf(ValueTemplate? template)
    {
        if (template is null || !template.IsConstant)
        {
            return null;
        }

        try
        {
            return template.Evaluate(ConstantScope.Instance);
        }
        catch (ExpressionEvaluationException)
        {
            return null;
        }
    }

    /// <summary>The constant value of an expression that reads nothing (e.g. <c>false</c>), else null.</summary>
    public static Value? ConstantOf(Expression? expression)
    {
        if (expression is null || expression.ReadsScope)
        {
            return null;
        }

        try
        {
            return expression.Evaluate(ConstantScope.Instance);
        }
        catch (ExpressionEvaluationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The keys of an object-valued template and, per key, its constant value when it has one. From the loader's
    /// map when available (it knows keys even when some values are expressions), else only for fully constant templates.
    /// </summary>
    public IReadOnlyList<(string Key, Value? Constant)>? ObjectShape(ValueTemplate? template, string? path)
    {
        if (SourceMap.TryGet(path, out var entry) && entry.Keys is not null)
        {
            return entry.Keys.Select(k => (k, SourceMap.TryGet(path + Child(k), out var e) ? e.Constant : null)).ToList();
        }

        if (ConstantOf(template) is { Kind: ValueKind.Object } constant)
        {
            return constant.AsObject().Select(p => (p.Key, (Value?)p.Value)).ToList();
        }

        return null;
    }

    /// <summary>The path suffix for an object key, as the loader writes it.</summary>
    public static string Child(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? "." + key
            : $"['{key.Replace("'", "\\'", StringComparison.Ordinal)}']";

    /// <summary>An expression scope with nothing in it: constant templates evaluate, anything else fails.</summary>
    private sealed class ConstantScope : IExpressionScope
    {
        public static readonly ConstantScope Instance = new();

        public TimeProvider Time => TimeProvider.System;

        public bool TryGetRoot(string name, out Value value)
        {
            value = Value.Null;
            return false;
        }

        public bool TryGetNode(string nodeId, out Value node)
        {
            node = Value.Null;
            return false;
        }
    }
}
