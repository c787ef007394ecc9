using System.Text.RegularExpressions;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Definitions;

/// <summary>The node ids a schema node reads: the first element of every <c>ref</c> and every <c>{{id.…}}</c> of a template (§1.5).</summary>
internal static partial class FlowGramReferences
{
    public static SortedSet<string> Of(object? data)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        Collect(data, ids);
        return ids;
    }

    private static void Collect(object? value, SortedSet<string> ids)
    {
        switch (value)
        {
            case JsObject o:
                var type = o.GetValueOrDefault("type") as string;
                var content = o.GetValueOrDefault("content");
                if (type == "ref" && content is List<object?> { Count: > 0 } path)
                {
                    ids.Add(Js.ToJsString(path[0]));
                }
                else if (type == "template" && content is string template)
                {
                    foreach (Match match in Placeholder().Matches(template))
                    {
                        ids.Add(match.Groups[1].Value.Trim().Split('.')[0]);
                    }
                }

                foreach (var item in o.Values)
                {
                    Collect(item, ids);
                }

                break;
            case List<object?> list:
                foreach (var item in list)
                {
                    Collect(item, ids);
                }

                break;
            default:
                break;
        }
    }

    [GeneratedRegex(@"\{\{([^\}]+)\}\}")]
    private static partial Regex Placeholder();
}
