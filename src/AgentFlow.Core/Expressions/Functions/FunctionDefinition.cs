using AgentFlow.Core.Expressions.Syntax;
using AgentFlow.Core.Values;

namespace AgentFlow.Core.Expressions.Functions;

/// <summary>The body of a built-in function; arguments arrive already evaluated.</summary>
internal delegate Value FunctionBody(ReadOnlySpan<Value> arguments, in EvalContext context);

/// <summary>A built-in function: name, arity (checked at parse time), signature for messages, and body.</summary>
internal sealed class FunctionDefinition(string name, int minArguments, int maxArguments, string signature, FunctionBody body, bool readsScope = false)
{
    public string Name { get; } = name;

    public int MinArguments { get; } = minArguments;

    /// <summary><see cref="int.MaxValue"/> for variadic functions.</summary>
    public int MaxArguments { get; } = maxArguments;

    /// <summary>The expected types, e.g. <c>join(array, string?)</c>, quoted in every error about this function.</summary>
    public string Signature { get; } = signature;

    public FunctionBody Body { get; } = body;

    /// <summary>True when the result depends on the scope beyond its arguments (e.g. <c>now()</c> reads the clock).</summary>
    public bool ReadsScope { get; } = readsScope;
}
