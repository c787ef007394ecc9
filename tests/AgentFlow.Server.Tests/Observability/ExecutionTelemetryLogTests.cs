using AgentFlow.Core.Building;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;
using AgentFlow.Server.Observability;
using Microsoft.Extensions.Logging;

namespace AgentFlow.Server.Tests.Observability;

/// <summary>Execution log lines carry ExecutionId (and NodeId) scopes and never an input value.</summary>
public sealed class ExecutionTelemetryLogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OnRecorded_StartFailedNodeAndEnd_LogsWithExecutionAndNodeScopesWithoutInputs()
    {
        var graph = CompiledGraph.Compile(new WorkflowBuilder("wf").Node("call", "http").Build());
        var logger = new RecordingLogger();
        using var instruments = new AgentFlowInstruments();
        var telemetry = new ExecutionTelemetry(instruments, TimeProvider.System, logger);

        telemetry.OnRecorded(graph, [new ExecutionStarted("e1", 1, T0, "acme/wf", 1, Value.Object(("token", "sk-secret-value")))], replayed: false);
        telemetry.OnRecorded(graph, [new NodeStarted("e1", 2, T0, "call", 1, Value.Object(("auth", "sk-secret-value")))], replayed: false);
        telemetry.OnRecorded(graph, [new NodeFailed("e1", 3, T0.AddSeconds(1), "call", 1, new ErrorInfo("http.500", "server error"), WillRetry: false)], replayed: false);
        telemetry.OnRecorded(graph, [new ExecutionFailed("e1", 4, T0.AddSeconds(1), new ErrorInfo("http.500", "server error"), "call")], replayed: false);

        Assert.Equal(
            [
                (LogLevel.Information, "ExecutionId=e1", "Execution e1 of acme/wf (version 1) started"),
                (LogLevel.Warning, "ExecutionId=e1 NodeId=call", "Node call (http) attempt 1 failed with http.500"),
                (LogLevel.Warning, "ExecutionId=e1", "Execution e1 of acme/wf failed with http.500"),
            ],
            logger.Lines);
        Assert.DoesNotContain(logger.Lines, l => l.Message.Contains("sk-secret", StringComparison.Ordinal));
        Assert.Equal(0, telemetry.TrackedCount);
    }

    private sealed class RecordingLogger : ILogger<ExecutionTelemetry>
    {
        private readonly List<IReadOnlyList<KeyValuePair<string, object?>>> _scopes = [];

        public List<(LogLevel Level, string Scope, string Message)> Lines { get; } = [];

        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            var pairs = (IReadOnlyList<KeyValuePair<string, object?>>)state;
            _scopes.Add(pairs);
            return new Pop(() => _scopes.Remove(pairs));
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, string.Join(' ', _scopes.SelectMany(s => s).Select(p => $"{p.Key}={p.Value}")), formatter(state, exception)));

        private sealed class Pop(Action pop) : IDisposable
        {
            public void Dispose() => pop();
        }
    }
}
