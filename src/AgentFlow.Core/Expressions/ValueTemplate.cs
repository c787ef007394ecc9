using System.Diagnostics.CodeAnalysis;
using AgentFlow.Core.Expressions.Templates;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions;

/// <summary>
/// A value that may embed expressions: a constant, a whole-string <c>${{ expr }}</c> (which yields the raw value),
/// an interpolated string, or an object/array of templates. Immutable; compiled once per definition.
/// </summary>
/// <remarks>Stringification and escaping rules are described in <c>docs/expressions.md</c>.</remarks>
public abstract class ValueTemplate
{
    /// <summary>The empty object constant.</summary>
    public static ValueTemplate EmptyObject { get; } = new ConstantTemplate(Value.EmptyObject);

    /// <summary>True when evaluation needs no scope.</summary>
    /// <remarks>
    /// Composites of constants fold into one constant, and so do embedded expressions that read nothing and evaluate
    /// without error (e.g. <c>${{ 1 + 2 }}</c>). An expression that fails even without a scope stays non-constant,
    /// so its error surfaces at run time with the node that uses it.
    /// </remarks>
    public abstract bool IsConstant { get; }

    /// <summary>Every root read by any embedded expression.</summary>
    /// <remarks>For strings compiled by <see cref="TryParseString"/>, columns are 1-based within the whole string.</remarks>
    public abstract IEnumerable<ExpressionReference> References { get; }

    /// <summary>Evaluates against a scope.</summary>
    /// <exception cref="ExpressionEvaluationException">An embedded expression failed.</exception>
    public abstract Value Evaluate(IExpressionScope scope);

    /// <summary>A template that always yields <paramref name="value"/>.</summary>
    public static ValueTemplate Constant(Value value) => new ConstantTemplate(value);

    /// <summary>An object whose properties are templates (order kept).</summary>
    /// <remarks>A repeated name keeps its first position and its last template, as <see cref="ValueObject.Create(IEnumerable{KeyValuePair{string, Value}})"/> does.</remarks>
    public static ValueTemplate Object(IReadOnlyList<KeyValuePair<string, ValueTemplate>> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (properties.All(p => p.Value is ConstantTemplate))
        {
            return new ConstantTemplate(Value.Object(properties.Select(p => new KeyValuePair<string, Value>(p.Key, ((ConstantTemplate)p.Value).Value))));
        }

        var unique = new List<KeyValuePair<string, ValueTemplate>>(properties.Count);
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in properties)
        {
            if (positions.TryGetValue(property.Key, out var existing))
            {
                unique[existing] = property;
            }
            else
            {
                positions[property.Key] = unique.Count;
                unique.Add(property);
            }
        }

        return new ObjectTemplate([.. unique.Select(p => p.Key)], [.. unique.Select(p => p.Value)]);
    }

    /// <summary>An array whose items are templates.</summary>
    public static ValueTemplate Array(IReadOnlyList<ValueTemplate> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.All(i => i is ConstantTemplate))
        {
            return new ConstantTemplate(Value.Array(items.Select(i => ((ConstantTemplate)i).Value)));
        }

        return new ArrayTemplate([.. items]);
    }

    /// <summary>
    /// Compiles a string that may contain <c>${{ ... }}</c>. A string that is exactly one expression yields that
    /// expression's raw value; otherwise the parts are stringified and concatenated. Returns false with the
    /// first error (column within <paramref name="text"/>) when an embedded expression does not parse.
    /// </summary>
    public static bool TryParseString(string text, [NotNullWhen(true)] out ValueTemplate? template, [NotNullWhen(false)] out ExpressionError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TemplateParser.TryParse(text, out template, out error);
    }

    /// <summary>Compiles a string that may contain <c>${{ ... }}</c>, throwing when it is malformed.</summary>
    /// <exception cref="FormatException">An embedded expression does not parse; the message carries the column and hint.</exception>
    public static ValueTemplate ParseString(string text)
    {
        if (TryParseString(text, out var template, out var error))
        {
            return template;
        }

        throw new FormatException($"{error.Message} (column {error.Column}).{(error.Hint is null ? string.Empty : " " + error.Hint)}");
    }
}
