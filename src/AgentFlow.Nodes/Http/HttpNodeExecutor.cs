using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AgentFlow.Core.Nodes;
using AgentFlow.Core.Values;

namespace AgentFlow.Nodes.Http;

/// <summary>
/// The <c>http</c> node: sends one request and returns <c>{ status, ok, headers, body }</c>.
/// A non-2xx answer is an <c>http.status</c> error carrying the status and a body excerpt unless <c>failOnStatus</c> is false.
/// </summary>
public sealed class HttpNodeExecutor : INodeExecutor
{
    /// <summary>The header that carries the node's idempotency key, so receivers can drop re-dispatched duplicates.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    private readonly HttpClient _client;
    private readonly HttpNodeOptions _options;

    /// <summary>Creates the executor over a shared client (its own timeout is not used: each node sets one).</summary>
    public HttpNodeExecutor(HttpClient client, HttpNodeOptions? options = null)
    {
        _client = client;
        _options = options ?? new HttpNodeOptions();
    }

    /// <inheritdoc />
    public async ValueTask<Value> ExecuteAsync(NodeContext context, CancellationToken cancellationToken)
    {
        var request = HttpRequestSpec.From(context.Parameters, context.IdempotencyKey, _options);
        using var message = request.ToMessage();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NodeExecutionException("timeout", $"{request.Method} {request.Url} did not answer within {Duration.Format(request.Timeout)}.");
        }
        catch (HttpRequestException exception)
        {
            throw new NodeExecutionException("http.network", $"{request.Method} {request.Url} failed: {exception.Message}", retryable: true, inner: exception);
        }

        using (response)
        {
            string text;
            bool truncated;
            try
            {
                (text, truncated) = await ReadBodyAsync(response, request.MaxResponseBytes, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new NodeExecutionException("timeout", $"{request.Method} {request.Url}: reading the response took longer than {Duration.Format(request.Timeout)}.");
            }

            var status = (int)response.StatusCode;
            if (request.FailOnStatus && !response.IsSuccessStatusCode)
            {
                throw new NodeExecutionException(
                    "http.status",
                    $"{request.Method} {request.Url} answered {status} {response.ReasonPhrase}: {Excerpt(text)}",
                    retryable: IsRetryable(response.StatusCode),
                    details: Value.Object(("status", status), ("body", Excerpt(text)), ("url", request.Url.ToString())));
            }

            if (truncated)
            {
                throw new NodeExecutionException(
                    "http.response_too_large",
                    $"{request.Method} {request.Url} answered more than {_options.MaxResponseBytes} bytes; raise the node's maxResponseBytes or fetch less.",
                    retryable: false);
            }

            return Value.Object(
                ("status", status),
                ("ok", response.IsSuccessStatusCode),
                ("headers", ReadHeaders(response)),
                ("body", ParseBody(text, response.Content.Headers.ContentType)));
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private static async Task<(string Text, bool Truncated)> ReadBodyAsync(HttpResponseMessage response, long limit, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                buffer.Write(chunk, 0, (int)Math.Max(0, limit - buffer.Length));
                return (Decode(buffer, response), true);
            }

            buffer.Write(chunk, 0, read);
        }

        return (Decode(buffer, response), false);
    }

    private static string Decode(MemoryStream buffer, HttpResponseMessage response)
    {
        var charset = response.Content.Headers.ContentType?.CharSet;
        Encoding encoding;
        try
        {
            encoding = charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            encoding = Encoding.UTF8;
        }

        return encoding.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static Value ParseBody(string text, MediaTypeHeaderValue? contentType)
    {
        var mediaType = contentType?.MediaType;
        if (mediaType is not null && (mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)) && text.Length > 0)
        {
            try
            {
                return Value.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
                return Value.From(text);
            }
        }

        return Value.From(text);
    }

    private static Value ReadHeaders(HttpResponseMessage response)
    {
        var headers = new List<KeyValuePair<string, Value>>();
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            headers.Add(new(header.Key.ToLowerInvariant(), string.Join(", ", header.Value)));
        }

        return Value.Object(headers);
    }

    private static string Excerpt(string text) => text.Length <= 512 ? text : string.Concat(text.AsSpan(0, 512), "…");
}
