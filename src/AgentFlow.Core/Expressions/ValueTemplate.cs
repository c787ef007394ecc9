using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions;

/// <summary>
/// A value that may embed expressions: a constant, a whole-string <c>${{ expr }}</c> (which yields the raw value),
/// an interpolated string, or an object/array of templates. Immutable; compiled once per definition.
/// </summary>
public abstract class ValueTemplate
{
    // PLACEHOLDER API: the expressions work item supplies the implementations.

    /// <summary>The empty object constant.</summary>
    public static ValueTemplate EmptyObject => throw new NotImplementedException();

    /// <summary>True when evaluation needs no scope.</summary>
    public abstract bool IsConstant { get; }

    /// <summary>Every root read by any embedded expression.</summary>
    public abstract IEnumerable<ExpressionReference> References { get; }

    /// <summary>Evaluates against a scope.</summary>
    /// <exception cref="ExpressionEvaluationException">An embedded expression failed.</exception>
    public abstract Value Evaluate(IExpressionScope scope);

    /// <summary>A template that always yields <paramref name="value"/>.</summary>
    public static ValueTemplate Constant(Value value) => throw new NotImplementedException();

    /// <summary>An object whose properties are templates (order kept).</summary>
    public static ValueTemplate Object(IReadOnlyList<KeyValuePair<string, ValueTemplate>> properties) => throw new NotImplementedException();

    /// <summary>An array whose items are templates.</summary>
    public static ValueTemplate Array(IReadOnlyList<ValueTemplate> items) => throw new NotImplementedException();

    /// <summary>
    /// Compiles a string that may contain <c>${{ ... }}</c>. A string that is exactly one expression yields that
    /// expression's raw value; otherwise the parts are stringified and concatenated. Returns false with the
    /// first error (column within <paramref name="text"/>) when an embedded expression does not parse.
    /// </summary>
    public static bool TryParseString(string text, out ValueTemplate? template, out ExpressionError? error) =>
        throw new NotImplementedException();
}
