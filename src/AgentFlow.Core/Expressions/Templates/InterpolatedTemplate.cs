using System.Text;
using AgentFlow.Core.Expressions.Functions;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Templates;

/// <summary>Literal text and expressions concatenated with the shared stringification rule.</summary>
/// <param name="parts">Each part is either literal text (Expression null) or an expression (Text null).</param>
internal sealed class InterpolatedTemplate((string? Text, Expression? Expression)[] parts, IReadOnlyList<ExpressionReference> references) : ValueTemplate
{
    public override bool IsConstant => false;

    public override IEnumerable<ExpressionReference> References => references;

    public override Value Evaluate(IExpressionScope scope)
    {
        var builder = new StringBuilder();
        foreach (var (text, expression) in parts)
        {
            builder.Append(text ?? ValueText.Stringify(expression!.Evaluate(scope)));
            if (builder.Length > ExpressionLimits.MaxStringLength)
            {
                throw new ExpressionEvaluationException(
                    $"The interpolated string is too long ({builder.Length} characters; the limit is {ExpressionLimits.MaxStringLength})",
                    expression?.Text ?? string.Empty);
            }
        }

        return builder.ToString();
    }
}
