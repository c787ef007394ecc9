using System.Globalization;
using AgentFlow.Load;

// Server load over loopback HTTP against the real `agentflow serve` process (not BenchmarkDotNet). See bench/README.md.
//   steps [--rates 50,100,200,400,800,1600,3200] [--seconds 20] [--completion execution-sse|workflow-sse]
//   soak  [--count 1000000] [--rate 200] [--sample 10000] [--census-every 100000 (0: no heap census)]
//   common: [--cli src/AgentFlow.Cli/bin/Release/net10.0/agentflow.dll]
if (args.Length == 0 || args[0] is not ("steps" or "soak"))
{
    Console.Error.WriteLine("usage: AgentFlow.Load steps [--rates 50,100,...] [--seconds 20] | soak [--count 1000000] [--rate 200] [--sample 10000]; both take [--cli path/to/agentflow.dll]");
    return 2;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var cli = Path.GetFullPath(Option("cli", Path.Combine("src", "AgentFlow.Cli", "bin", "Release", "net10.0", "agentflow.dll")));
await using var server = await ServerProcess.StartAsync(cli, cancel.Token);
using var client = new LoadClient(server.Address);
Console.WriteLine(FormattableString.Invariant($"<!-- {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, server {server.Address} pid {server.ProcessId}, SQLite {server.DatabasePath}, load average {Program.LoadAverage()} -->"));
if (args[0] == "steps")
{
    var rates = Option("rates", "50,100,200,400,800,1600,3200").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
    var completion = Option("completion", "execution-sse");
    if (completion is not ("execution-sse" or "workflow-sse"))
    {
        Console.Error.WriteLine($"--completion must be execution-sse or workflow-sse, not '{completion}'");
        return 2;
    }

    Console.WriteLine($"<!-- completion seen on: {completion} -->");
    Console.WriteLine(StepScenario.Header);
    await StepScenario.RunAsync(client, rates, TimeSpan.FromSeconds(double.Parse(Option("seconds", "20"), CultureInfo.InvariantCulture)), completion == "execution-sse", cancel.Token);
}
else
{
    await SoakScenario.RunAsync(
        client,
        server,
        long.Parse(Option("count", "1000000"), CultureInfo.InvariantCulture),
        int.Parse(Option("rate", "200"), CultureInfo.InvariantCulture),
        int.Parse(Option("sample", "10000"), CultureInfo.InvariantCulture),
        long.Parse(Option("census-every", "100000"), CultureInfo.InvariantCulture),
        cancel.Token);
}

return 0;

/// <summary>Entry point; also the load average every printed row carries.</summary>
internal static partial class Program
{
    internal static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
