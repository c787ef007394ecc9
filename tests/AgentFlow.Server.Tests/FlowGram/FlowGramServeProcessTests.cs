using AgentFlow.Server.Tests.Process;
using AgentFlow.Testing.FlowGramHarness;

namespace AgentFlow.Server.Tests.FlowGram;

/// <summary>
/// Harness cases against a real <c>agentflow serve</c> process, one or two per kind, so CI checks the FlowGram routes
/// of the shipped command too (<see cref="FlowGramDifferentialHttpTests"/> runs them all in-process on Kestrel).
/// </summary>
public sealed class FlowGramServeProcessTests(FlowGramServeProcessTests.Process process) : IClassFixture<FlowGramServeProcessTests.Process>
{
    public static TheoryData<string> Cases() =>
    [
        "branch-1", // run, self-contained
        "http-post-200", // run with the HTTP mock
        "basic-llm-nested-refs", // LLM mock
        "value-expression-unsupported", // a node failing while resolving inputs: TaskReport's 500
        "validate-inputs-06-missing-required-property-aa", // validate; the task fails validation: TaskReport's 500
        "cancel-during-http", // cancel
        "schema-dangling-edge-source", // runError: TaskRun's empty body
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_OnServeProcess_MatchesReferenceServer(string name)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = await CaseRunner.RunAsync(new HttpTasks(process.Serve!.Client), HarnessCases.Load(name, process.Mocks!.Substitutions), limit.Token);

        var differences = JsonDiff.Compare(ReferenceServer.View(HarnessCases.Expected(name)), HarnessCases.MapBack(output, process.Mocks.Substitutions));

        Assert.True(differences.Count == 0, $"{name} on agentflow serve differs from the reference server, first at {string.Join("\n", differences)}\n{process.Serve.Stderr}");
    }

    /// <summary>The mock servers and one <c>agentflow serve</c> over a fresh SQLite file, for the class.</summary>
    public sealed class Process : IAsyncLifetime
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "agentflow-serve-flowgram", Guid.NewGuid().ToString("N"));

        public MockServers? Mocks { get; private set; }

        internal ServeProcess? Serve { get; private set; }

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(_directory);
            Mocks = await MockServers.StartAsync(CancellationToken.None);
            Serve = await ServeProcess.StartAsync(_directory, "--db", Path.Combine(_directory, "agentflow.db"));
        }

        public async Task DisposeAsync()
        {
            if (Serve is not null)
            {
                await Serve.DisposeAsync();
            }

            if (Mocks is not null)
            {
                await Mocks.DisposeAsync();
            }

            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still closing; the temp folder is cleaned up by the OS eventually.
            }
        }
    }
}
