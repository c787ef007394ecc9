namespace AgentFlow.Benchmarks.Stores;

/// <summary>A database path in a fresh temp directory, removed on dispose.</summary>
internal sealed class StoreBenchmarkFile : IDisposable
{
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agentflow-bench", Guid.NewGuid().ToString("N"));

    public StoreBenchmarkFile()
    {
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, "bench.db");
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
