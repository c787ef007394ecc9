using System.Text;
using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Nodes;

/// <summary><c>llm</c>: checks like the reference, then one OpenAI-compatible <c>POST {apiHost}/chat/completions</c> (§2.8).</summary>
internal sealed class LlmExecutor(HttpClient http) : IFlowNodeExecutor
{
    public async ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken)
    {
        var inputs = run.Inputs;
        var missing = new List<string>();
        void Check(string name, bool isMissing)
        {
            if (isMissing)
            {
                missing.Add($"\"{name}\"");
            }
        }

        var modelName = inputs.GetValueOrDefault("modelName", Js.Undefined);
        var temperature = inputs.GetValueOrDefault("temperature", Js.Undefined);
        var apiKey = inputs.GetValueOrDefault("apiKey", Js.Undefined);
        var apiHost = inputs.GetValueOrDefault("apiHost", Js.Undefined);
        var prompt = inputs.GetValueOrDefault("prompt", Js.Undefined);
        var systemPrompt = inputs.GetValueOrDefault("systemPrompt", Js.Undefined);
        Check("modelName", !IsTruthy(modelName));
        Check("temperature", Js.IsNil(temperature));
        Check("apiKey", !IsTruthy(apiKey));
        Check("apiHost", !IsTruthy(apiHost));
        Check("prompt", !IsTruthy(prompt));
        if (missing.Count > 0)
        {
            throw new FlowGramException($"LLM node missing required inputs: {string.Join(", ", missing)}");
        }

        var host = Js.ToJsString(apiHost);
        if (!Uri.TryCreate(host, UriKind.Absolute, out var uri))
        {
            throw new FlowGramException("Invalid URL");
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            throw new FlowGramException($"Invalid API host protocol - {uri.Scheme}:");
        }

        var messages = new List<object?>();
        if (IsTruthy(systemPrompt))
        {
            messages.Add(new JsObject { ["role"] = "system", ["content"] = Js.ToJsString(systemPrompt) });
        }

        messages.Add(new JsObject { ["role"] = "user", ["content"] = Js.ToJsString(prompt) });
        var body = new JsObject { ["model"] = Js.ToJsString(modelName), ["temperature"] = temperature, ["stream"] = false, ["messages"] = messages };
        using var request = new HttpRequestMessage(HttpMethod.Post, host.TrimEnd('/') + "/chat/completions")
        {
            Content = new StringContent(Js.Stringify(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {Js.ToJsString(apiKey)}");
        string text;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new FlowGramException($"{(int)response.StatusCode} status code");
            }
        }
        catch (HttpRequestException ex)
        {
            throw new FlowGramException($"Network error: unreachable api \"{host}\"", ex);
        }

        var content = JsonNode.Parse(text)?["choices"]?[0]?["message"]?["content"];
        return new NodeResult(new JsObject { ["result"] = Js.FromJson(content?.DeepClone()) });
    }

    private static bool IsTruthy(object? value) => value switch
    {
        null => false,
        string s => s.Length > 0,
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        _ => !Js.IsNil(value),
    };
}
