using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFlow.Server.Security;

/// <summary>Plugs API-key authentication, per-key rate limiting and the API's CORS policy into the server.</summary>
internal static partial class SecuritySetup
{
    /// <summary>Registers the security services; refuses insecure settings before anything listens.</summary>
    /// <exception cref="InvalidOperationException">
    /// Authentication is off while an address is not loopback; the one-line message says which and how to fix it.
    /// </exception>
    public static IServiceCollection AddAgentFlowSecurity(this IServiceCollection services, SecurityOptions options, IEnumerable<string> urls)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.RequireApiKeys && LoopbackBinding.FirstNonLoopback(urls) is { } exposed)
        {
            throw new InvalidOperationException(
                $"authentication is off (--no-auth) but the server would listen on {exposed}, which is reachable from other machines; listen on 127.0.0.1, [::1] or localhost only, or turn authentication on and create a key with 'agentflow keys create'.");
        }

        services.AddSingleton(options);
        services.AddSingleton<SecretValues>();
        services.AddRateLimiter(limiter => ApiKeyRateLimiting.Configure(limiter, options));
        if (options.CorsOrigins.Count > 0)
        {
            // Routes with their own policy (the FlowGram task routes) keep it; everything else gets these origins.
            services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. options.CorsOrigins])
                .WithHeaders("Authorization", ApiKeyAuthenticationMiddleware.ApiKeyHeader, "Content-Type", "Last-Event-ID", "Idempotency-Key")
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithExposedHeaders("Retry-After", "Location")));
        }

        return services;
    }

    /// <summary>Adds authentication then rate limiting (which partitions by the authenticated key) to the pipeline.</summary>
    public static WebApplication UseAgentFlowSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<SecurityOptions>();
        if (!options.RequireApiKeys)
        {
            LogAuthenticationOff(app.Logger);
        }

        app.UseMiddleware<ApiKeyAuthenticationMiddleware>();
        app.UseRateLimiter();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication is OFF: every caller on this machine has every scope in tenant 'default'. Allowed only because the server listens on loopback addresses.")]
    private static partial void LogAuthenticationOff(ILogger logger);
}
