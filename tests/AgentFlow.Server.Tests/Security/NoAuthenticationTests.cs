using System.Net;
using System.Text.Json.Nodes;
using AgentFlow.Server.Security;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFlow.Server.Tests.Security;

/// <summary>Authentication may be off only on loopback addresses; anywhere else the server refuses to start.</summary>
public sealed class NoAuthenticationTests
{
    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:4000")]
    [InlineData("http://+:4000")]
    [InlineData("http://[::]:4000")]
    [InlineData("http://127.0.0.1:0;http://192.168.1.20:4000")]
    [InlineData("http://example.com:4000")]
    public void Build_NoAuthOnNonLoopbackAddress_RefusesWithOneLineNamingIt(string urls)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            AgentFlowServer.Build(new ServerOptions { Urls = urls, Security = new SecurityOptions { RequireApiKeys = false } }));

        Assert.StartsWith("authentication is off (--no-auth) but the server would listen on http", error.Message, StringComparison.Ordinal);
        Assert.Contains(urls.Split(';')[^1], error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4000")]
    [InlineData("http://localhost:4000")]
    [InlineData("http://[::1]:4000;https://127.0.0.2:4001")]
    public void FirstNonLoopback_LoopbackAddresses_None(string urls) =>
        Assert.Null(LoopbackBinding.FirstNonLoopback(urls.Split(';')));

    [Fact]
    public async Task ScopedRoutes_NoAuthOnLoopback_OpenToCallersInTheDefaultTenant()
    {
        await using var server = await SecuredServer.StartAsync(new SecurityOptions { RequireApiKeys = false });
        var anonymous = server.Client(null);

        await SecuredServer.CreateWorkflowAsync(anonymous, SecuredServer.Waiting);
        var id = await SecuredServer.StartAsync(anonymous, "approval");

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/v1/executions/{id}")).StatusCode);
        var stored = await server.Harness.Services.GetRequiredService<Hosting.RuntimeService>().Store.GetExecutionAsync(id, CancellationToken.None);
        Assert.StartsWith(SecurityExtensions.DefaultTenant, stored!.WorkflowId, StringComparison.Ordinal);
        Assert.NotNull(JsonNode.Parse(await anonymous.GetStringAsync("/api/v1/executions")));
    }

    [Fact]
    public async Task Serve_NoAuthOnAllInterfaces_ProcessExitsWithOneLineErrorAndCreatesNoDatabase()
    {
        var directory = Path.Combine(Path.GetTempPath(), "agentflow-noauth-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = directory };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "agentflow.dll"), "serve", "--no-auth", "--urls", "http://0.0.0.0:0", "--db", "agentflow.db" })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = System.Diagnostics.Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(limit.Token);

            Assert.Equal(2, process.ExitCode);
            var error = (await stderr).Trim();
            Assert.StartsWith("error: authentication is off (--no-auth) but the server would listen on http://0.0.0.0:0", error, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error);
            Assert.False(File.Exists(Path.Combine(directory, "agentflow.db")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
