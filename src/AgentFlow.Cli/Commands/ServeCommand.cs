using System.CommandLine;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentFlow.Cli.Commands;

/// <summary>
/// <c>agentflow serve</c>: the HTTP server (REST API, live streams, FlowGram task routes) over a durable store. Stops
/// gracefully on Ctrl+C or SIGTERM: running executions are detached with their leases released and resume on the
/// next start.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen, ';'-separated (env AGENTFLOW_URLS; default {ServerOptions.DefaultUrls})." };
        var db = new Option<string?>("--db") { Description = $"The SQLite file, created on first start (env AGENTFLOW_DB; default ./{ServerOptions.DefaultDatabase})." };
        var postgres = new Option<string?>("--postgres") { Description = "A PostgreSQL connection string instead of SQLite (env AGENTFLOW_POSTGRES)." };
        var schema = new Option<string?>("--postgres-schema") { Description = "The PostgreSQL schema holding the store's tables (env AGENTFLOW_POSTGRES_SCHEMA; default agentflow)." };
        var lease = new Option<string>("--lease") { Description = "How long a crashed server's executions stay blocked before another process resumes them, e.g. 30s.", DefaultValueFactory = _ => "30s" };
        var maxBody = new Option<long>("--max-body") { Description = "The largest request body accepted, in bytes (larger ones get 413).", DefaultValueFactory = _ => 4 * 1024 * 1024 };
        var command = new Command("serve", "Serve the HTTP API over a durable store until Ctrl+C or SIGTERM.") { urls, db, postgres, schema, lease, maxBody };
        var security = ServeSecurityOptions.AddTo(command);
        command.SetAction(async (p, cancellationToken) =>
        {
            if (!Duration.TryFromValue(Value.From(p.GetValue(lease)), out var leaseTime) || leaseTime <= TimeSpan.Zero)
            {
                await console.Error.WriteLineAsync("error: --lease takes a positive duration such as 5s or 1m.");
                return ExitCodes.InvalidInput;
            }

            if (p.GetValue(maxBody) < 1)
            {
                await console.Error.WriteLineAsync("error: --max-body must be at least 1 byte.");
                return ExitCodes.InvalidInput;
            }

            var options = new ServerOptions
            {
                Urls = p.GetValue(urls) ?? Environment.GetEnvironmentVariable("AGENTFLOW_URLS") ?? ServerOptions.DefaultUrls,
                DatabasePath = p.GetValue(db) ?? Environment.GetEnvironmentVariable("AGENTFLOW_DB") ?? ServerOptions.DefaultDatabase,
                PostgresConnectionString = p.GetValue(postgres) ?? NullIfEmpty(Environment.GetEnvironmentVariable("AGENTFLOW_POSTGRES")),
                PostgresSchema = p.GetValue(schema) ?? NullIfEmpty(Environment.GetEnvironmentVariable("AGENTFLOW_POSTGRES_SCHEMA")) ?? "agentflow",
                LeaseDuration = leaseTime,
                MaxRequestBodyBytes = p.GetValue(maxBody),
            };
            if (security.Read(p, options, console) is not { } secured)
            {
                return ExitCodes.InvalidInput;
            }

            options = secured;
            return await ServeAsync(options, console, cancellationToken);
        });
        return command;
    }

    private static async Task<int> ServeAsync(ServerOptions options, CliConsole console, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = AgentFlowServer.Build(options);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        await using (app)
        {
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is StoreException or IOException or ArgumentException or InvalidOperationException)
            {
                await console.Error.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.InvalidInput;
            }

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            await console.Error.WriteLineAsync($"agentflow serve: listening on {string.Join(' ', addresses)} ({options.StoreDescription}); Ctrl+C stops");

            // Returns after the host has stopped (Ctrl+C, SIGTERM, or the command's cancellation): requests drained first,
            // then running executions detached and their leases released.
            await app.WaitForShutdownAsync(cancellationToken);
            await console.Error.WriteLineAsync("agentflow serve: stopped; unfinished executions resume on the next start");
            return ExitCodes.Success;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
