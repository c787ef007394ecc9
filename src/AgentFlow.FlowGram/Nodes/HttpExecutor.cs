using System.Text;
using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Nodes;

/// <summary><c>http</c>: FlowGram's request building, retries and outputs (§2.9).</summary>
internal sealed class HttpExecutor(HttpClient http) : IFlowNodeExecutor
{
    public async ValueTask<NodeResult> ExecuteAsync(NodeRun run, CancellationToken cancellationToken)
    {
        var (method, url, headers, parameters, bodyType, body, form, timeout, retryTimes) = Prepare(run.Node.Data, run.Store);
        run.SnapshotInputs = SnapshotInputs(method, url, headers, parameters, bodyType, body, form, timeout, retryTimes);
        var target = WithParams(url, parameters);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(timeout), run.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = BuildRequest(method, target, headers, bodyType, body, form);
                using var response = await http.SendAsync(request, linked.Token).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
                var responseHeaders = new JsObject();
                foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
                {
                    responseHeaders[name.ToLowerInvariant()] = string.Join(", ", values);
                }

                return new NodeResult(new JsObject { ["headers"] = responseHeaders, ["statusCode"] = (double)(int)response.StatusCode, ["body"] = text });
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= retryTimes)
                {
                    throw new FlowGramException(ex is OperationCanceledException ? "The operation was aborted due to timeout" : "fetch failed", ex);
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), run.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The snapshot inputs of an http node (§2.9), as recorded before the request is sent.</summary>
    /// <exception cref="FlowGramException">The request cannot be built.</exception>
    public static JsObject SnapshotInputs(JsObject data, VariableStore store)
    {
        var (method, url, headers, parameters, bodyType, body, form, timeout, retryTimes) = Prepare(data, store);
        return SnapshotInputs(method, url, headers, parameters, bodyType, body, form, timeout, retryTimes);
    }

    private static JsObject SnapshotInputs(string method, string url, JsObject headers, JsObject parameters, string bodyType, string body, JsObject? form, double timeout, double retryTimes) => new()
    {
        ["method"] = method,
        ["url"] = url,
        ["headers"] = headers,
        ["params"] = parameters,
        ["bodyType"] = bodyType,
        ["body"] = form is null ? body : Js.Stringify(form),
        ["retryTimes"] = retryTimes,
        ["timeout"] = timeout,
    };

    private static (string Method, string Url, JsObject Headers, JsObject Parameters, string BodyType, string Body, JsObject? Form, double Timeout, double RetryTimes) Prepare(JsObject data, VariableStore store)
    {
        var api = data.GetValueOrDefault("api") as JsObject ?? [];
        var method = Js.ToJsString(api.GetValueOrDefault("method", Js.Undefined));
        var url = FlowValues.Resolve(api.GetValueOrDefault("url"), "string", store)?.Value as string;
        if (string.IsNullOrEmpty(url))
        {
            throw new FlowGramException("HTTP url is required");
        }

        var headers = FlowValues.ParseInputs(data.GetValueOrDefault("headers") as JsObject, data.GetValueOrDefault("headersValues") as JsObject, store);
        var parameters = FlowValues.ParseInputs(data.GetValueOrDefault("params") as JsObject, data.GetValueOrDefault("paramsValues") as JsObject, store);
        var bodySpec = data.GetValueOrDefault("body") as JsObject ?? [];
        var bodyType = Js.ToJsString(bodySpec.GetValueOrDefault("bodyType", Js.Undefined));
        var (body, form) = BuildBody(bodyType, bodySpec, store);
        var timeoutSpec = data.GetValueOrDefault("timeout") as JsObject ?? [];
        var timeout = timeoutSpec.GetValueOrDefault("timeout") as double? ?? 0;
        var retryTimes = timeoutSpec.GetValueOrDefault("retryTimes") as double? ?? 0;
        return (method, url, headers, parameters, bodyType, body, form, timeout, retryTimes);
    }

    private static (string Body, JsObject? Form) BuildBody(string bodyType, JsObject spec, VariableStore store)
    {
        switch (bodyType)
        {
            case "none":
                return (string.Empty, null);
            case "JSON":
            case "raw-text":
                // Deliberate deviation: raw-text reads body.rawText; the reference reads body.json (docs/flowgram.md).
                var field = bodyType == "JSON" ? "json" : "rawText";
                var text = spec.GetValueOrDefault(field) is { } textValue ? FlowValues.Resolve(textValue, "string", store)?.Value as string : null;
                return string.IsNullOrEmpty(text) ? throw new FlowGramException($"HTTP {field} body is required") : (text, null);
            case "binary":
                var binary = spec.GetValueOrDefault("binary") is { } binaryValue ? FlowValues.Resolve(binaryValue, "string", store)?.Value as string : null;
                return (binary ?? string.Empty, null);
            case "form-data":
            case "x-www-form-urlencoded":
                var key = bodyType == "form-data" ? "formData" : "xWwwFormUrlencoded";
                if (spec.GetValueOrDefault(key) is not JsObject schema || spec.GetValueOrDefault(key + "Values") is not JsObject values)
                {
                    throw new FlowGramException($"HTTP {bodyType} body is required");
                }

                var resolved = FlowValues.ParseInputs(schema, values, store);
                return (bodyType == "form-data" ? "form" : string.Join("&", resolved.Select(p => $"{FormEncoding.Encode(p.Key)}={FormEncoding.Encode(Js.ToJsString(p.Value))}")), resolved);
            default:
                throw new FlowGramException($"HTTP invalid body type \"{bodyType}\"");
        }
    }

    private static string WithParams(string url, JsObject parameters)
    {
        var sent = parameters.Where(p => !Js.IsNil(p.Value) && p.Value is not "").ToList();
        if (sent.Count == 0)
        {
            return url;
        }

        var builder = new UriBuilder(url);
        var query = (builder.Query.StartsWith('?') ? builder.Query[1..] : builder.Query)
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Key: Uri.UnescapeDataString(p[0]), Value: p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty))
            .ToList();
        foreach (var (key, value) in sent)
        {
            var text = Js.ToJsString(value);
            var index = query.FindIndex(q => q.Key == key);
            if (index >= 0)
            {
                // URLSearchParams.set: the first pair takes the value, later pairs of the same name go.
                query = [.. query.Where((q, i) => i <= index || q.Key != key)];
                query[index] = (key, text);
            }
            else
            {
                query.Add((key, text));
            }
        }

        builder.Query = string.Join("&", query.Select(q => $"{FormEncoding.Encode(q.Key)}={FormEncoding.Encode(q.Value)}"));
        return builder.Uri.AbsoluteUri;
    }

    private static HttpRequestMessage BuildRequest(string method, string url, JsObject headers, string bodyType, string body, JsObject? form)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        var contentType = headers.FirstOrDefault(h => h.Key is "Content-Type" or "content-type").Value is { } ct ? Js.ToJsString(ct) : bodyType switch
        {
            "JSON" => "application/json",
            "x-www-form-urlencoded" => "application/x-www-form-urlencoded",
            "raw-text" => "text/plain",
            "binary" => "application/octet-stream",
            _ => null,
        };
        var sendBody = method is not ("GET" or "HEAD") && body.Length > 0;
        HttpContent? content = null;
        if (sendBody && bodyType == "form-data" && form is not null)
        {
            var boundary = "----formdata-agentflow-" + Guid.NewGuid().ToString("N");
            var text = new StringBuilder();
            foreach (var (name, value) in form)
            {
                text.Append("--").Append(boundary).Append("\r\nContent-Disposition: form-data; name=\"").Append(name).Append("\"\r\n\r\n").Append(Js.ToJsString(value)).Append("\r\n");
            }

            text.Append("--").Append(boundary).Append("--\r\n");
            content = new ByteArrayContent(Encoding.UTF8.GetBytes(text.ToString()));
            content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        }
        else if (sendBody)
        {
            content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        }

        foreach (var (name, value) in headers)
        {
            if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            request.Headers.TryAddWithoutValidation(name, Js.ToJsString(value));
        }

        if (contentType is not null && (content is null || bodyType != "form-data"))
        {
            content ??= new ByteArrayContent([]);
            content.Headers.ContentType = null;
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        request.Content = content;
        return request;
    }
}
