using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AgentFlow.Server.Streams;

/// <summary>Writes Server-Sent Events (text/event-stream) and flushes each one, so clients see events as they happen.</summary>
internal sealed class SseWriter
{
    private readonly HttpResponse _response;

    private SseWriter(HttpResponse response) => _response = response;

    public static async Task<SseWriter> StartAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new SseWriter(response);
    }

    public async Task WriteAsync(string? id, string eventName, string data, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        if (id is not null)
        {
            text.Append("id: ").Append(id).Append('\n');
        }

        text.Append("event: ").Append(eventName).Append('\n');
        foreach (var line in data.Split('\n'))
        {
            text.Append("data: ").Append(line).Append('\n');
        }

        text.Append('\n');
        await _response.WriteAsync(text.ToString(), cancellationToken).ConfigureAwait(false);
        await _response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
