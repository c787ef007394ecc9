using AgentFlow.Server.Executions;
using AgentFlow.Server.FlowGram;
using AgentFlow.Server.Health;
using AgentFlow.Server.Hosting;
using AgentFlow.Server.Json;
using AgentFlow.Server.Observability;
using AgentFlow.Server.Problems;
using AgentFlow.Server.Security;
using AgentFlow.Server.Streams;
using AgentFlow.Server.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace AgentFlow.Server;

/// <summary>
/// Composes the AgentFlow server: services, middleware and every route. The one place the CLI's <c>serve</c> command and
/// the tests build the application from, so cross-cutting layers (security, telemetry) plug in here.
/// </summary>
public static class AgentFlowServer
{
    /// <summary>Builds the application; start it with <c>RunAsync</c> or <c>StartAsync</c>.</summary>
    public static WebApplication Build(ServerOptions options, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args ?? [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));

        // Logs go to stderr, like every other command's diagnostics; stdout stays for data.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        ConfigureServices(builder.Services, options);

        var app = builder.Build();
        app.UseApiProblems();
        app.UseCors();
        app.UseAgentFlowSecurity();
        app.UseAgentFlowObservability();
        app.UseWebSockets();
        MapRoutes(app);
        return app;
    }

    private static void ConfigureServices(IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(options.TimeProvider);
        services.AddSingleton<RuntimeService>();
        services.AddHostedService(provider => provider.GetRequiredService<RuntimeService>());
        services.AddSingleton<WorkflowCatalog>();
        services.AddSingleton<ExecutionService>();
        services.AddSingleton<AppendWatcher>();
        services.AddSingleton<EventTail>();
        services.AddSingleton<WorkflowFeed>();
        services.AddSingleton<FlowGramService>();
        services.AddApiProblems();
        services.AddAgentFlowObservability(options.Observability);
        services.AddAgentFlowSecurity(options.Security, options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ServerJsonContext.Default));
        services.AddCors(cors => cors.AddPolicy(FlowGramEndpoints.Cors, policy => policy.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod()));
        services.AddOpenApi();
    }

    private static void MapRoutes(WebApplication app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapWorkflowEndpoints();
        api.MapExecutionEndpoints();
        api.MapStreamEndpoints();
        app.MapFlowGramEndpoints();
        app.MapHealthEndpoints();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapApiPage();
    }
}
