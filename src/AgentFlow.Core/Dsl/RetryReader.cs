using System.Collections.Frozen;
using System.Collections.Immutable;
using AgentFlow.Core.Definitions;
using YamlDotNet.RepresentationModel;

namespace AgentFlow.Core.Dsl;

/// <summary>Reads a <c>retry:</c> block. Defaults with a block: 3 attempts, exponential, 1s delay, multiplier 2, no jitter.</summary>
internal static class RetryReader
{
    public static readonly RetryPolicy Defaults = new(3, BackoffKind.Exponential, TimeSpan.FromSeconds(1), 2, null, 0, []);

    private static readonly FrozenDictionary<string, BackoffKind> Backoffs = new Dictionary<string, BackoffKind>(StringComparer.Ordinal)
    {
        ["fixed"] = BackoffKind.Fixed,
        ["linear"] = BackoffKind.Linear,
        ["exponential"] = BackoffKind.Exponential,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static RetryPolicy? Read(DslContext context, YamlNode node, string path)
    {
        // "retry: 5" is shorthand for "retry: { maxAttempts: 5 }".
        if (node is YamlScalarNode)
        {
            var attempts = context.Integer(node, path, "'retry'");
            return attempts is null ? null : Defaults with { MaxAttempts = attempts.Value };
        }

        var mapping = context.Mapping(node, path, "'retry'");
        if (mapping is null)
        {
            return null;
        }

        context.CheckKeys(mapping, path, DslKeys.Retry, "'retry'");
        var policy = Defaults;
        foreach (var (key, _, value, valuePath) in context.Entries(mapping, path))
        {
            policy = key switch
            {
                "maxAttempts" => policy with { MaxAttempts = context.Integer(value, valuePath, "'maxAttempts'") ?? policy.MaxAttempts },
                "backoff" => policy with { Backoff = context.Keyword(value, valuePath, "'backoff'", Backoffs) ?? policy.Backoff },
                "delay" => policy with { Delay = context.Duration(value, valuePath, "'delay'") ?? policy.Delay },
                "multiplier" => policy with { Multiplier = context.Number(value, valuePath, "'multiplier'") ?? policy.Multiplier },
                "maxDelay" => policy with { MaxDelay = context.Duration(value, valuePath, "'maxDelay'") },
                "jitter" => policy with { Jitter = context.Number(value, valuePath, "'jitter'") ?? policy.Jitter },
                "retryOn" => policy with { RetryOn = ReadCodes(context, value, valuePath) },
                _ => policy,
            };
        }

        return policy;
    }

    private static ImmutableArray<string> ReadCodes(DslContext context, YamlNode node, string path)
    {
        IEnumerable<(YamlNode Node, string Path)> items = node is YamlSequenceNode sequence
            ? sequence.Children.Select((child, i) => (child, DslContext.Index(path, i)))
            : [(node, path)];
        return [.. items.Select(i => context.String(i.Node, i.Path, "An entry of 'retryOn'")).OfType<string>()];
    }
}
