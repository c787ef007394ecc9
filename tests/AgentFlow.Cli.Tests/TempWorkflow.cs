namespace AgentFlow.Cli.Tests;

/// <summary>A workflow written to a temporary .yaml file for one test.</summary>
internal sealed class TempWorkflow : IDisposable
{
    public TempWorkflow(string text, string extension = ".yaml")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"agentflow-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
