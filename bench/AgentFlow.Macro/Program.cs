using System.Globalization;
using AgentFlow.Macro;

// Whole-system durability figures (not BenchmarkDotNet): each scenario prints Markdown table rows. See bench/README.md.
//   throughput [--stores sqlite-normal,sqlite-full,postgres] [--concurrency 1,100,10000] [--nodes 10] [--seconds 3]
//   memory     [--stores memory,sqlite-normal] [--count 10000] [--poll 1]
//   resume     [--stores sqlite-normal] [--count 10000] [--max-executions 10000] [--poll 1]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: AgentFlow.Macro throughput|memory|resume [--stores a,b] [--concurrency 1,100,10000] [--nodes 10] [--seconds 3] [--count N] [--max-executions N] [--poll SECONDS]");
    return 2;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;
int IntOption(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var defaultStores = args[0] switch
{
    "throughput" => BenchStore.PostgresConfigured ? "sqlite-normal,sqlite-full,postgres" : "sqlite-normal,sqlite-full",
    "memory" => "memory,sqlite-normal",
    _ => BenchStore.PostgresConfigured ? "sqlite-normal,postgres" : "sqlite-normal",
};
var stores = Option("stores", defaultStores).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var poll = TimeSpan.FromSeconds(double.Parse(Option("poll", "1"), CultureInfo.InvariantCulture));
Console.WriteLine(FormattableString.Invariant($"<!-- {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()} -->"));
switch (args[0])
{
    case "throughput":
        var concurrencies = Option("concurrency", "1,100,10000").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Console.WriteLine(ThroughputScenario.Header);
        foreach (var store in stores)
        {
            await ThroughputScenario.RunAsync(store, concurrencies, IntOption("nodes", 10), TimeSpan.FromSeconds(double.Parse(Option("seconds", "3"), CultureInfo.InvariantCulture)), cancel.Token);
        }

        break;
    case "memory":
        Console.WriteLine(MemoryScenario.Header);
        foreach (var store in stores)
        {
            await MemoryScenario.RunAsync(store, IntOption("count", 10_000), poll, cancel.Token);
        }

        break;
    case "resume":
        Console.WriteLine(ResumeScenario.Header);
        foreach (var store in stores)
        {
            var count = IntOption("count", 10_000);
            await ResumeScenario.RunAsync(store, count, IntOption("max-executions", count), poll, cancel.Token);
        }

        break;
    default:
        Console.Error.WriteLine($"unknown scenario '{args[0]}'");
        return 2;
}

return 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
