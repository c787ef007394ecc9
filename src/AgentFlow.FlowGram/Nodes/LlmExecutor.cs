using System.ClientModel;
using System.ClientModel.Primitives;
using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Values;
using OpenAI;
using OpenAI.Chat;

namespace AgentFlow.FlowGram.Nodes;

/// <summary>
/// <c>llm</c>: the reference's input checks, then one OpenAI-compatible <c>POST {apiHost}/chat/completions</c> through
/// the OpenAI SDK with <c>apiHost</c> as its endpoint (§2.8).
/// </summary>
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

        var messages = new List<ChatMessage>();
        if (IsTruthy(systemPrompt))
        {
            messages.Add(new SystemChatMessage(Js.ToJsString(systemPrompt)));
        }

        messages.Add(new UserChatMessage(Js.ToJsString(prompt)));
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(host.TrimEnd('/')),
            Transport = new HttpClientPipelineTransport(http),
            // The reference's LangChain client retries 3 times; we fail at once with the same message (docs/flowgram.md).
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        var client = new ChatClient(Js.ToJsString(modelName), new ApiKeyCredential(Js.ToJsString(apiKey)), options);
        var settings = new ChatCompletionOptions { Temperature = temperature is double t ? (float)t : null };
        try
        {
            var completion = await client.CompleteChatAsync(messages, settings, cancellationToken).ConfigureAwait(false);
            var text = string.Concat(completion.Value.Content.Select(part => part.Text));
            return new NodeResult(new JsObject { ["result"] = text });
        }
        catch (ClientResultException ex) when (ex.Status == 0 && !cancellationToken.IsCancellationRequested)
        {
            throw new FlowGramException($"Network error: unreachable api \"{host}\"", ex);
        }
        catch (ClientResultException ex)
        {
            throw new FlowGramException($"{ex.Status} status code", ex);
        }
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
