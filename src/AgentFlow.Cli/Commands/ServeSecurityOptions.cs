using System.CommandLine;
using AgentFlow.Server;
using AgentFlow.Server.Observability;
using AgentFlow.Server.Security;

namespace AgentFlow.Cli.Commands;

/// <summary>
/// The <c>serve</c> options for authentication, rate limiting, CORS and telemetry, with their environment variables.
/// </summary>
internal sealed class ServeSecurityOptions
{
    private readonly Option<bool> _noAuth = new("--no-auth") { Description = "Serve without API keys (env AGENTFLOW_NO_AUTH=1); allowed only when every --urls address is loopback." };
    private readonly Option<int?> _rateLimit = new("--rate-limit") { Description = "Requests per second each API key may make, with bursts of twice that (env AGENTFLOW_RATE_LIMIT; default 50; 0 turns it off)." };
    private readonly Option<string[]> _corsOrigins = new("--cors-origin") { Description = "A browser origin allowed to call /api/v1, repeatable (env AGENTFLOW_CORS_ORIGINS, ';'-separated). The FlowGram routes allow every origin.", AllowMultipleArgumentsPerToken = false };
    private readonly Option<bool> _openMetrics = new("--metrics-open") { Description = "Serve /metrics without an API key (by default it needs the admin scope)." };
    private readonly Option<string?> _otlp = new("--otlp") { Description = $"Export traces to this OTLP/HTTP collector, e.g. http://127.0.0.1:4318 (env {ObservabilityOptions.OtlpEndpointVariable})." };

    public static ServeSecurityOptions AddTo(Command command)
    {
        var options = new ServeSecurityOptions();
        command.Options.Add(options._noAuth);
        command.Options.Add(options._rateLimit);
        command.Options.Add(options._corsOrigins);
        command.Options.Add(options._openMetrics);
        command.Options.Add(options._otlp);
        return options;
    }

    /// <summary>The server options with security and telemetry applied; null after printing an error.</summary>
    public ServerOptions? Read(ParseResult parsed, ServerOptions options, CliConsole console)
    {
        var rate = parsed.GetValue(_rateLimit) ?? (int.TryParse(Environment.GetEnvironmentVariable("AGENTFLOW_RATE_LIMIT"), System.Globalization.CultureInfo.InvariantCulture, out var fromEnv) ? fromEnv : 50);
        if (rate < 0)
        {
            console.Error.WriteLine("error: --rate-limit must be 0 (off) or a positive number of requests per second.");
            return null;
        }

        var otlpText = parsed.GetValue(_otlp) ?? Environment.GetEnvironmentVariable(ObservabilityOptions.OtlpEndpointVariable);
        Uri? otlp = null;
        if (!string.IsNullOrEmpty(otlpText) && (!Uri.TryCreate(otlpText, UriKind.Absolute, out otlp) || otlp.Scheme is not ("http" or "https")))
        {
            console.Error.WriteLine($"error: --otlp '{otlpText}' is not an http(s) URL such as http://127.0.0.1:4318.");
            return null;
        }

        var origins = parsed.GetValue(_corsOrigins) is { Length: > 0 } given
            ? given
            : (Environment.GetEnvironmentVariable("AGENTFLOW_CORS_ORIGINS") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return options with
        {
            Security = new SecurityOptions
            {
                RequireApiKeys = !(parsed.GetValue(_noAuth) || Environment.GetEnvironmentVariable("AGENTFLOW_NO_AUTH") is "1" or "true"),
                RateLimitBurst = rate * 2,
                RateLimitTokensPerPeriod = rate,
                RateLimitPeriod = TimeSpan.FromSeconds(1),
                CorsOrigins = origins,
                MetricsRequireApiKey = !parsed.GetValue(_openMetrics),
            },
            Observability = new ObservabilityOptions { OtlpEndpoint = otlp },
        };
    }
}
