namespace AgentFlow.Server.Observability;

/// <summary>Where telemetry goes: Prometheus text at <c>/metrics</c> always, traces over OTLP when configured.</summary>
public sealed record ObservabilityOptions
{
    /// <summary>The environment variable the CLI reads for <see cref="OtlpEndpoint"/>.</summary>
    public const string OtlpEndpointVariable = "AGENTFLOW_OTLP_ENDPOINT";

    /// <summary>
    /// An OTLP/HTTP (protobuf) collector, e.g. <c>http://127.0.0.1:4318</c>; traces are sent to its <c>/v1/traces</c>
    /// unless the address already has a path. No traces are exported when null.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>The <c>service.name</c> resource attribute of exported spans.</summary>
    public string ServiceName { get; init; } = "agentflow";
}
