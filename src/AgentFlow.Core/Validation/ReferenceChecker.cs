using System.Collections.Immutable;
using AgentFlow.Core.Diagnostics;
using AgentFlow.Core.Expressions;

namespace AgentFlow.Core.Validation;

/// <summary>Checks what expressions read: known roots, declared inputs and variables, and nodes that have run before.</summary>
internal sealed class ReferenceChecker(ValidationContext context, ValidationScope scope, ImmutableHashSet<string> graphNodes)
{
    private static readonly string[] Roots = ["inputs", "nodes", "vars", "execution"];
    private static readonly string[] MapRoots = ["item", "index"];

    /// <param name="references">What the expression(s) read.</param>
    /// <param name="path">The JSON path of the value holding the expressions, to find exact positions.</param>
    /// <param name="fallback">Where to point when the exact position is unknown.</param>
    /// <param name="owner">What holds the expression, for messages (e.g. "node 'fetch'").</param>
    /// <param name="visibleNodes">Nodes that are sure to have completed when the expression is evaluated.</param>
    public void Check(IEnumerable<ExpressionReference> references, string? path, SourceLocation fallback, string owner, ImmutableHashSet<string> visibleNodes)
    {
        var seen = new HashSet<(string, string?)>();
        foreach (var reference in references)
        {
            if (seen.Add((reference.Root, reference.Member)))
            {
                CheckOne(reference, () => context.SourceMap.FindReference(path, reference) ?? fallback, owner, visibleNodes);
            }
        }
    }

    // The exact position is looked up only for a bad reference: finding it scans the loader's source map.
    private void CheckOne(ExpressionReference reference, Func<SourceLocation> locate, string owner, ImmutableHashSet<string> visibleNodes)
    {
        var member = reference.Member;
        switch (reference.Root)
        {
            case "inputs":
                var inputs = scope.Owner.Inputs.Select(i => i.Name).ToList();
                if (member is not null && !inputs.Contains(member))
                {
                    context.Error(DiagnosticCodes.UnknownInput, $"{Capitalize(owner)} reads inputs.{member}, but the workflow declares no input '{member}'.", locate(), Hint(member, inputs, "declare it under 'inputs:'"));
                }

                break;
            case "vars":
                var variables = scope.Owner.Variables.Select(v => v.Name).ToList();
                if (member is not null && !variables.Contains(member))
                {
                    context.Error(DiagnosticCodes.UnknownVariable, $"{Capitalize(owner)} reads vars.{member}, but the workflow declares no variable '{member}'.", locate(), Hint(member, variables, "declare it under 'variables:'"));
                }

                break;
            case "nodes":
                if (member is null || visibleNodes.Contains(member) || scope.OuterAncestors.Contains(member))
                {
                    break;
                }

                if (graphNodes.Contains(member) || scope.OuterNodes.Contains(member))
                {
                    var hint = graphNodes.Contains(member) ? $"add 'needs: [{member}]' so it runs first" : $"make '{member}' run before the enclosing map node";
                    context.Error(DiagnosticCodes.NotAncestor, $"{Capitalize(owner)} reads nodes.{member}, which is not guaranteed to have run before it.", locate(), hint);
                }
                else
                {
                    context.Error(DiagnosticCodes.UnknownNodeReference, $"{Capitalize(owner)} reads nodes.{member}, but there is no node '{member}'.", locate(), Hint(member, graphNodes.Union(scope.OuterNodes).Order(StringComparer.Ordinal).ToList(), "check the node id"));
                }

                break;
            case "execution":
                break;
            case "item" or "index" when scope.InMap:
                break;
            case "item" or "index":
                context.Error(DiagnosticCodes.UnknownRoot, $"{Capitalize(owner)} reads '{reference.Root}', which exists only inside a map body.", locate(), "move this into the body of a map node");
                break;
            default:
                var roots = scope.InMap ? Roots.Concat(MapRoots).ToList() : Roots.ToList();
                context.Error(DiagnosticCodes.UnknownRoot, $"{Capitalize(owner)} reads unknown name '{reference.Root}'.", locate(), Suggestions.Hint(reference.Root, roots));
                break;
        }
    }

    private static string Hint(string word, IReadOnlyCollection<string> candidates, string otherwise) =>
        Suggestions.Closest(word, candidates) is { } closest ? $"did you mean '{closest}'?" : otherwise;

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
