using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace AgentFlow.Server.Observability;

/// <summary>Counts open live streams: requests to the stream routes (SSE or WebSocket) while they are being served.</summary>
internal sealed class StreamMetricsMiddleware(RequestDelegate next, AgentFlowInstruments instruments)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // The stream routes are the ones tagged "streams" (see the server's StreamEndpoints).
        var isStream = context.GetEndpoint()?.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Contains("streams", StringComparer.Ordinal) ?? false;
        if (!isStream)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        instruments.ActiveStreams.Add(1);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            instruments.ActiveStreams.Add(-1);
        }
    }
}
