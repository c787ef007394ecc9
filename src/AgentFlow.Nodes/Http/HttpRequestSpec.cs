using System.Net.Http.Headers;
using System.Text;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Nodes.Http;

/// <summary>An http node's resolved parameters, checked, ready to become a request message.</summary>
internal sealed record HttpRequestSpec(
    HttpMethod Method,
    Uri Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    HttpContent? Content,
    TimeSpan Timeout,
    bool FailOnStatus,
    long MaxResponseBytes)
{
    private static readonly string[] AllowedMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public static HttpRequestSpec From(Value parameters, string idempotencyKey, HttpNodeOptions options)
    {
        var methodText = Optional(parameters, "method", ValueKind.String)?.AsString().ToUpperInvariant() ?? "GET";
        if (Array.IndexOf(AllowedMethods, methodText) < 0)
        {
            throw Invalid($"method '{methodText}' is not one of {string.Join(", ", AllowedMethods)}");
        }

        var urlText = Optional(parameters, "url", ValueKind.String)?.AsString() ?? throw Invalid("'url' is required");
        var url = BuildUrl(urlText, Optional(parameters, "query", ValueKind.Object));

        var headers = new List<KeyValuePair<string, string>>();
        if (Optional(parameters, "headers", ValueKind.Object) is { } headerValues)
        {
            foreach (var (name, value) in headerValues.AsObject())
            {
                headers.Add(new(name, value.ToString()));
            }
        }

        var key = Optional(parameters, "idempotencyKey", ValueKind.String)?.AsString() ?? idempotencyKey;
        if (!headers.Exists(h => string.Equals(h.Key, HttpNodeExecutor.IdempotencyHeader, StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new(HttpNodeExecutor.IdempotencyHeader, key));
        }

        var timeout = options.DefaultTimeout;
        if (parameters.TryGetProperty("timeout", out var timeoutValue) && !timeoutValue.IsNull && !Duration.TryFromValue(timeoutValue, out timeout))
        {
            throw Invalid($"timeout '{timeoutValue}' is not a duration such as 5s or 250ms");
        }

        var failOnStatus = Optional(parameters, "failOnStatus", ValueKind.Boolean)?.AsBoolean() ?? true;
        var maxBytes = options.MaxResponseBytes;
        if (Optional(parameters, "maxResponseBytes", ValueKind.Number) is { } max)
        {
            maxBytes = Math.Min(maxBytes, (long)max.AsNumber());
        }

        return new HttpRequestSpec(new HttpMethod(methodText), url, headers, BuildContent(parameters), timeout, failOnStatus, maxBytes);
    }

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Url) { Content = Content };
        foreach (var (name, value) in Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value) && Content is not null)
            {
                Content.Headers.Remove(name);
                Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private static StringContent? BuildContent(Value parameters)
    {
        var hasJson = parameters.TryGetProperty("json", out var json);
        var hasBody = parameters.TryGetProperty("body", out var body) && !body.IsNull;
        if (hasJson && hasBody)
        {
            throw Invalid("give either 'json' or 'body', not both");
        }

        if (hasJson)
        {
            return new StringContent(json.ToJson(), Encoding.UTF8, "application/json");
        }

        if (hasBody)
        {
            var contentType = Optional(parameters, "contentType", ValueKind.String)?.AsString() ?? "text/plain";
            var content = new StringContent(body.ToString(), Encoding.UTF8);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            return content;
        }

        return null;
    }

    private static Uri BuildUrl(string urlText, Value? query)
    {
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw Invalid($"url '{urlText}' is not an absolute http or https URL");
        }

        if (query is not { } parameters || parameters.AsObject().Count == 0)
        {
            return url;
        }

        var builder = new StringBuilder(url.Query.Length > 1 ? url.Query[1..] : string.Empty);
        foreach (var (name, value) in parameters.AsObject())
        {
            var items = value.Kind == ValueKind.Array ? value.AsArray().ToArray() : [value];
            foreach (var item in items)
            {
                if (builder.Length > 0)
                {
                    builder.Append('&');
                }

                builder.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(item.IsNull ? string.Empty : item.ToString()));
            }
        }

        return new UriBuilder(url) { Query = builder.ToString() }.Uri;
    }

    private static Value? Optional(Value parameters, string name, ValueKind kind)
    {
        if (!parameters.TryGetProperty(name, out var value) || value.IsNull)
        {
            return null;
        }

        return value.Kind == kind ? value : throw Invalid($"'{name}' must be a {Value.KindToName(kind)}, not {value.KindName}");
    }

    private static NodeExecutionException Invalid(string problem) =>
        new("http.invalid_request", $"http node: {problem}.", retryable: false);
}
