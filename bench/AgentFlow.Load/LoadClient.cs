using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AgentFlow.Load;

/// <summary>The HTTP calls the load makes, on one pooled <see cref="HttpClient"/> to the loopback server.</summary>
internal sealed class LoadClient : IDisposable
{
    private readonly HttpClient _http;

    public LoadClient(Uri address)
    {
        var handler = new SocketsHttpHandler
        {
            // Enough connections that an open-loop generator is not throttled by the client at the rates measured.
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        _http = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
    }

    public HttpClient Http => _http;

    public async Task CreateWorkflowAsync(string yaml, CancellationToken cancellationToken)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var response = await _http.PostAsync(new Uri("/api/v1/workflows", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"creating the workflow answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }

    /// <summary>Starts one execution; returns its id and last sequence, or null when the server answered with an error.</summary>
    public async Task<(string Id, long LastSequence)?> StartAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(new Uri("/api/v1/executions", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (document.RootElement.GetProperty("id").GetString()!, document.RootElement.GetProperty("lastSequence").GetInt64());
    }

    public static byte[] StartBody(string workflowId) => Encoding.UTF8.GetBytes($$"""{"workflowId":"{{workflowId}}"}""");

    /// <summary>One sample's value from <c>/metrics</c> (0 when the sample is not there yet).</summary>
    public async Task<double> MetricAsync(string sample, CancellationToken cancellationToken)
    {
        var text = await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(sample + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(sample.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public void Dispose() => _http.Dispose();
}
