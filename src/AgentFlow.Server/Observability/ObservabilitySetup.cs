using AgentFlow.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentFlow.Server.Observability;

/// <summary>Plugs metrics (<c>/metrics</c>), traces (OTLP when configured) and execution logs into the server.</summary>
internal static class ObservabilitySetup
{
    public static IServiceCollection AddAgentFlowObservability(this IServiceCollection services, ObservabilityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<AgentFlowInstruments>();
        services.AddSingleton(provider => new MetricsCollector(provider.GetRequiredService<AgentFlowInstruments>().Meter));
        services.AddSingleton<ExecutionTelemetry>();
        if (options.OtlpEndpoint is { } endpoint)
        {
            // Built eagerly with the server (see UseAgentFlowObservability) and disposed with it, which flushes spans.
            services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(options.ServiceName))
                .AddSource(AgentFlowInstruments.Name)
                .AddOtlpExporter(otlp =>
                {
                    otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
                    otlp.Endpoint = TracesEndpoint(endpoint);
                })
                .Build());
        }

        return services;
    }

    public static WebApplication UseAgentFlowObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Resolve now so the listener and the exporter see the first execution, not only those after the first scrape.
        app.Services.GetRequiredService<MetricsCollector>();
        app.Services.GetService<TracerProvider>();
        app.UseMiddleware<StreamMetricsMiddleware>();
        app.MapMetrics(app.Services.GetRequiredService<SecurityOptions>());
        return app;
    }

    /// <summary>The traces URL: the endpoint's own path when it has one, else <c>/v1/traces</c> on it.</summary>
    public static Uri TracesEndpoint(Uri endpoint) =>
        endpoint.AbsolutePath is "" or "/" ? new Uri(endpoint, "/v1/traces") : endpoint;
}
